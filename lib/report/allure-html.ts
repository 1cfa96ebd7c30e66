/**
 * The Allure 3 HTML report: generate it (in process with the engine the `allure` CLI uses, or
 * with `allure generate` as a fallback) as one file that opens from disk, grouped by epic,
 * feature and story, with history kept in a JSONL file so trends show across runs; then strip
 * what Allure embeds from outside (its analytics tag) and verify nothing from outside remains.
 *
 * @example
 * ```ts
 * const r = await generateAllureReport({ resultsDir: "reports/allure-results", outputDir: "reports/allure-report",
 *   historyPath: "reports/history.jsonl" })
 * r.problems // [] when the HTML is self-contained
 * ```
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { AllureResultsSource } from "./allure-reporter.ts";
import { CONFORMANCE_CATEGORIES } from "./_allure-status.ts";

export interface AllureReportOptions {
  /** The allure-results folder (read when `results` is not given, and by the CLI fallback). */
  resultsDir: string;
  /** The run's results in memory (the runner's writer): read from there instead of the folder. */
  results?: AllureResultsSource;
  outputDir: string;
  historyPath: string;
  name?: string;
  /** History entries kept (default 30). */
  historyLimit?: number;
  /** Give up after this long (default 120 s). */
  timeoutMs?: number;
  /** `cli` forces the `allure generate` child process (default: in process, CLI as fallback). */
  engine?: "auto" | "cli";
}

export interface AllureReportResult {
  indexHtml: string;
  /** What was removed from the HTML. */
  stripped: string[];
  /** Anything still pointing outside the file (empty when self-contained). */
  problems: string[];
  durationMs: number;
}

/** Host names of analytics and tag services that must never be in a published report. */
export const ANALYTICS_HOSTS = [
  "googletagmanager.com",
  "google-analytics.com",
  "analytics.google.com",
  "doubleclick.net",
  "segment.io",
  "segment.com",
  "mixpanel.com",
  "hotjar.com",
  "clarity.ms",
  "plausible.io",
  "sentry.io",
] as const;

function allureCli(): string {
  const main = createRequire(import.meta.url).resolve("allure"); // …/allure/dist/index.js
  return join(dirname(dirname(main)), "cli.js");
}

/** The Allure configuration for this report (plugin options as the CLI's config file takes them). */
function allureConfig(options: AllureReportOptions, output: string): Record<string, unknown> {
  const name = options.name ?? "NHS login conformance";
  return {
    name,
    output,
    historyPath: resolve(options.historyPath),
    historyLimit: options.historyLimit ?? 30,
    categories: { rules: CONFORMANCE_CATEGORIES },
    plugins: {
      awesome: { options: { singleFile: true, reportName: name, reportLanguage: "en", groupBy: ["epic", "feature"] } },
    },
  };
}

interface AllureCore {
  resolveConfig(config: Record<string, unknown>): Promise<unknown>;
  AllureReport: new (
    config: unknown,
  ) => {
    start(): Promise<void>;
    readDirectory(dir: string): Promise<void>;
    readResult(file: unknown): Promise<void>;
    done(): Promise<void>;
  };
  /** @allurereport/reader-api's in-memory result file, resolved next to the engine. */
  BufferResultFile: new (
    content: Uint8Array,
    fileName: string,
  ) => unknown;
}

/**
 * Allure's report engine, resolved the way the `allure` CLI resolves it (its own dependency, same
 * version), so the report is generated in this process without starting another Node.
 */
let coreLoading: Promise<AllureCore | undefined> | undefined;
function allureCore(): Promise<AllureCore | undefined> {
  coreLoading ??= loadAllureCore();
  return coreLoading;
}

/**
 * Start loading Allure's report engine now (it takes about half a second), e.g. while the checks
 * run, so generating the report later does not wait for it.
 */
export function preloadAllureEngine(): void {
  void allureCore();
}

async function loadAllureCore(): Promise<AllureCore | undefined> {
  try {
    const path = createRequire(createRequire(import.meta.url).resolve("allure")).resolve("@allurereport/core");
    const readerApi = createRequire(path).resolve("@allurereport/reader-api");
    const [core, reader] = (await Promise.all([import(pathToFileURL(path).href), import(pathToFileURL(readerApi).href)])) as [
      Partial<AllureCore>,
      Partial<AllureCore>,
    ];
    if (
      typeof core.resolveConfig !== "function" ||
      typeof core.AllureReport !== "function" ||
      typeof reader.BufferResultFile !== "function"
    )
      return undefined;
    return { resolveConfig: core.resolveConfig, AllureReport: core.AllureReport, BufferResultFile: reader.BufferResultFile };
  } catch {
    return undefined;
  }
}

/**
 * Generate the report (in process when Allure's engine is importable, else with `allure generate`),
 * then strip and verify it.
 */
export async function generateAllureReport(options: AllureReportOptions): Promise<AllureReportResult> {
  const started = Date.now();
  const output = resolve(options.outputDir);
  rmSync(output, { recursive: true, force: true });
  const core = options.engine === "cli" ? undefined : await allureCore();
  if (core) {
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const generate = (async () => {
      const report = new core.AllureReport(await core.resolveConfig(allureConfig(options, output)));
      await report.start();
      if (options.results) {
        // As readDirectory would, in name order, but from memory.
        const files = [...options.results.entries()].sort(([a], [b]) => a.localeCompare(b));
        await Promise.all(files.map(([name, content]) => report.readResult(new core.BufferResultFile(content, name))));
      } else {
        await report.readDirectory(resolve(options.resultsDir));
      }
      await report.done();
    })();
    try {
      await Promise.race([
        generate,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Allure did not finish within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  } else {
    await options.results?.flush();
    await generateWithCli(options, output);
  }
  const indexHtml = join(output, "index.html");
  const { html, stripped } = stripThirdPartyScripts(readFileSync(indexHtml, "utf8"));
  writeFileSync(indexHtml, html);
  return { indexHtml, stripped, problems: outsideReferences(html), durationMs: Date.now() - started };
}

/** `allure generate` in a child process, with a config file written for this run. */
async function generateWithCli(options: AllureReportOptions, output: string): Promise<void> {
  const configDir = mkdtempSync(join(tmpdir(), "allurerc-"));
  const configFile = join(configDir, "allurerc.json");
  writeFileSync(configFile, JSON.stringify(allureConfig(options, output)));
  try {
    await run(
      process.execPath,
      [allureCli(), "generate", "--config", configFile, resolve(options.resultsDir)],
      options.timeoutMs ?? 120_000,
    );
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    let out = "";
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(-8_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else
        reject(
          new Error(`allure generate ${signal ? `was stopped (${signal}) after ${timeoutMs} ms` : `exited with ${code}`}: ${out.trim()}`),
        );
    });
  });
}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const EXTERNAL_URL = /^\s*(?:https?:)?\/\//i;
const ATTR_SRC = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/**
 * Remove every script loaded from another host and every inline script that talks to an
 * analytics service (Allure 3 adds a Google tag and its `gtag(...)` configuration).
 */
export function stripThirdPartyScripts(html: string): { html: string; stripped: string[] } {
  const stripped: string[] = [];
  const out = html.replace(SCRIPT, (tag: string, attrs: string, body: string) => {
    const src = ATTR_SRC.exec(attrs);
    const url = src ? (src[1] ?? src[2] ?? src[3] ?? "") : "";
    if (url && EXTERNAL_URL.test(url)) {
      stripped.push(`<script src="${url}">`);
      return "";
    }
    if (!url && /\bgtag\s*\(|\bdataLayer\b|googletagmanager|google-analytics/i.test(body)) {
      stripped.push(`inline script: ${body.trim().split("\n")[0]?.slice(0, 80) ?? ""}…`);
      return "";
    }
    return tag;
  });
  // Resource hints and stylesheets from other hosts go too.
  const noLinks = out.replace(/<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\/[^>]*>/gi, (tag) => {
    stripped.push(tag.slice(0, 120));
    return "";
  });
  return { html: noLinks, stripped };
}

/** Elements that load what their URL attribute names as soon as the page opens. */
const LOADING_TAGS = new Set(["script", "iframe", "frame", "img", "embed", "object", "source", "audio", "video", "track", "link", "input"]);
const URL_ATTRIBUTE = /\b(src|href|data|srcset|poster)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi;

/**
 * What in the HTML still points outside the file: scripts, stylesheets, frames or images loaded
 * from a URL, and any analytics host name, also inside the scripts Allure embeds as base64.
 * (Plain links a reader may click, `<a href>`, are not loads and are allowed.)
 */
export function outsideReferences(html: string): string[] {
  const problems: string[] = [];
  // Linear scan: find URL-valued attributes, then the tag they belong to.
  for (const m of html.matchAll(URL_ATTRIBUTE)) {
    const open = html.lastIndexOf("<", m.index);
    const tag = /^<([a-zA-Z][\w-]*)/.exec(html.slice(open, open + 40))?.[1]?.toLowerCase();
    if (tag && LOADING_TAGS.has(tag)) problems.push(`<${tag}> loads ${m[2]}`);
  }
  const texts = [html, ...embeddedScripts(html)].map((t) => t.toLowerCase());
  for (const host of ANALYTICS_HOSTS) {
    if (texts.some((t) => t.includes(host))) problems.push(`mentions ${host}`);
  }
  if (texts.some((t) => /\bgtag\s*\(\s*['"]config['"]/.test(t))) problems.push("configures a Google tag (gtag)");
  return problems;
}

/** The text of `data:...;base64,` scripts and styles embedded in the HTML. */
export function embeddedScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/data:(?:text|application)\/(?:javascript|css)[^,"']*;base64,([A-Za-z0-9+/=]+)/g)) {
    out.push(Buffer.from(m[1]!, "base64").toString("utf8"));
  }
  return out;
}
