/**
 * What a reviewer and a CI pipeline get from a run against a defective NHS login: the exit code,
 * the summary with the failed requirement and its reason, JUnit, the Allure HTML (self-contained,
 * history kept across runs), opened in a real browser from disk, and no secret anywhere.
 *
 * The browser part needs Debian's chromium (`.ci/run` installs it). Without it the test fails
 * under CI with the install command, and is skipped with the reason elsewhere.
 */
import { CHROMIUM_ARGS } from "../../lib/driver/chromium-browser.ts";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium } from "playwright-core";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import { outsideReferences } from "../../lib/report/allure-html.ts";
import { summaryCoverage, type Statement } from "../../lib/report/build-statement.ts";
import { STATEMENT_CSV_COLUMNS } from "../../lib/report/statement-csv.ts";
import { REQUIREMENTS } from "../../lib/requirements/index.ts";
import { filesUnder, keyMaterial, runConformance, searchableTexts, signedJwts, type RunResult } from "./_run.ts";

const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);
const INSTALL_HINT =
  `Debian's chromium is missing at ${CHROMIUM}; ` +
  "install it with: apt-get update && apt-get install -y --no-install-recommends chromium (.ci/run does this)";
if (!HAVE_CHROMIUM && !IN_CI) console.warn(`[skip] report browser test: ${INSTALL_HINT}`);

/** Where screenshots of the report are kept for people to look at. */
const SHOTS = resolve("reports/screenshots");

describe("conformance reports, against a simulator with token-no-cache-headers", () => {
  let sim: Simulator;
  let key: KeyObject;
  let dir: string;
  let first: RunResult;
  let second: RunResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "conformance-report-"));
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    key = pair.privateKey;
    writeFileSync(join(dir, "harness-key.pem"), key.export({ type: "pkcs8", format: "pem" }));
    sim = await startSimulator({
      defects: ["token-no-cache-headers"],
      clients: [{ clientId: "report-test", redirectUris: ["https://harness.invalid/cb"], publicKey: pair.publicKey, usersV2Scopes: "all" }],
    });
    const reports = join(dir, "reports");
    mkdirSync(reports);
    const env = {
      NHSLOGIN_ISSUER: sim.issuer,
      NHSLOGIN_CLIENT_ID: "report-test",
      NHSLOGIN_PRIVATE_KEY_FILE: join(dir, "harness-key.pem"),
      NHSLOGIN_USERS_SCOPE: sim.usersScope,
    };
    // Two runs into the same reports folder: the second report shows the first in its history.
    first = await runConformance(["--suite", "environment", "--grep", "UEV2"], reports, env);
    second = await runConformance(["--suite", "environment", "--grep", "UEV2"], reports, env);
    writeFileSync(join(dir, "run.log"), `${first.out}\n${second.out}`);
  }, 240_000);

  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const reports = () => join(dir, "reports");

  it("exits 1 and lists the failed requirement with its reason, failures first, in JSON, Markdown and the printed summary", () => {
    expect(second.code, second.out).toBe(1);
    const s = second.summary!;
    expect(s.totals.failed).toBeGreaterThan(0);
    expect(s.totals.passed).toBeGreaterThan(0);
    expect(s.checks[0]!.status).toBe("failed");
    const failed = s.checks.find((c) => c.id === "UEV2-TOKEN-12" && c.status === "failed");
    expect(failed?.message).toMatch(/Cache-Control/);
    expect(s.requirements.find((r) => r.id === "UEV2-TOKEN-12")?.status).toBe("failed");
    expect(s.files.some((f) => f.file === "suites/environment/users-v2.conformance.ts" && f.ran > 0)).toBe(true);
    const md = readFileSync(join(reports(), "summary.md"), "utf8");
    expect(md.indexOf("## Failed")).toBeGreaterThan(0);
    expect(md).toMatch(/\| [^|]*UEV2-TOKEN-12[^|]* \|.*Cache-Control/);
    expect(second.out).toMatch(/FAILED \(\d+ checks\):\n\s+✘ \S+/);
    expect(second.out).toMatch(/Result: FAIL/);
    const junit = readFileSync(join(reports(), "junit.xml"), "utf8");
    expect(junit).toMatch(/<failure[^>]*message="[^"]*UEV2-TOKEN-12/);
  });

  it("writes a conformance statement of every catalogue row, the failed one with its evidence, in HTML, CSV and JSON", () => {
    const statement = JSON.parse(readFileSync(join(reports(), "conformance-statement.json"), "utf8")) as Statement;
    expect(statement.rows).toHaveLength(REQUIREMENTS.length);
    const row = statement.rows.find((r) => r.id === "UEV2-TOKEN-12")!;
    expect(row.status).toBe("failed");
    expect(row.evidence.some((e) => e.status === "failed" && /Cache-Control/.test(e.message) && e.allureId)).toBe(true);
    // Narrowed by --grep to the environment: service-only rows are not applicable, the rest not selected.
    expect(statement.rows.find((r) => r.id === "SESSION-05")?.status).toBe("not applicable");
    expect(statement.rows.find((r) => r.id === "FED-DISC-01")?.status).toBe("not selected");
    expect(statement.run).toMatchObject({ options: { suites: ["environment"], grep: "UEV2" }, catalogue: { rows: REQUIREMENTS.length } });
    const csv = readFileSync(join(reports(), "conformance-statement.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe(STATEMENT_CSV_COLUMNS.join(","));
    expect(csv.find((l) => l.startsWith("UEV2-TOKEN-12,"))).toMatch(/,failed,.*Cache-Control.*allure-report\/index\.html#[0-9a-f]{32}/);
    expect(row.evidence.find((e) => e.status === "failed")?.href).toMatch(/^allure-report\/index\.html#[0-9a-f]{32}$/);
    // summary.json counts requirements as the statement does.
    expect(second.summary!.coverage).toEqual(summaryCoverage(statement));
  });

  it("prints progress per suite file against a fixed total, with the target, and nothing of vitest's own", () => {
    expect(second.out).toContain(`[environment] target ${sim.issuer}`);
    const lines = second.out.split("\n").filter((l) => /^\[\d+\/\d+ files\]/.test(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => /\/(\d+) files/.exec(l)![1])).size).toBe(1);
    expect(second.out).toMatch(/\[\d+\/\d+ files\] environment\/users-v2\.conformance\.ts: \d+ checks \(/);
    expect(second.out).not.toMatch(/ Test Files |JUNIT report written|\u001b\[/);
  });

  it("keeps history across runs and writes one self-contained HTML file without analytics", () => {
    const [historyFile, ...others] = readdirSync(join(reports(), "history"));
    expect(others).toEqual([]);
    expect(historyFile).toMatch(/^env-http-127-0-0-1-\d+.*\.jsonl$/);
    const history = readFileSync(join(reports(), "history", historyFile!), "utf8")
      .trim()
      .split("\n");
    expect(history).toHaveLength(2);
    const html = readFileSync(join(reports(), "allure-report", "index.html"), "utf8");
    expect(outsideReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/googletagmanager|google-analytics|gtag\(/);
  });

  it("leaves no private key material and no signed token in any report file or log", () => {
    const material = keyMaterial(key);
    const files = [...filesUnder(reports()), join(dir, "run.log")];
    expect(files.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    for (const f of files) {
      for (const text of searchableTexts(f)) {
        for (const m of material) if (text.includes(m)) leaks.push(`${f}: key material`);
        for (const jwt of signedJwts(text)) leaks.push(`${f}: signed JWT ${jwt.slice(0, 40)}…`);
        if (text.includes("PRIVATE KEY-----")) leaks.push(`${f}: PEM private key`);
      }
    }
    expect(leaks).toEqual([]);
    // The tokens were there, redacted: the access tokens the simulator issued appear by jti.
    const jtis = [...sim.state.accessTokens.keys()];
    expect(jtis.length).toBeGreaterThan(0);
    const allText = files.flatMap((f) => searchableTexts(f)).join("\n");
    expect(jtis.some((jti) => allText.includes(jti))).toBe(true);
  });

  it.skipIf(!HAVE_CHROMIUM && !IN_CI)(
    "opens from disk in chromium: the overview shows the counts, a failed check its requirement, reason and redacted token",
    async () => {
      if (!HAVE_CHROMIUM) throw new Error(INSTALL_HINT);
      const s = second.summary!;
      const index = join(reports(), "allure-report", "index.html");
      const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1400, height: 1100 },
        args: ["--headless", ...CHROMIUM_ARGS],
      });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        const outside: string[] = [];
        page.on("request", (r) => {
          if (!/^(file|data|blob):/.test(r.url())) outside.push(r.url());
        });
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(`file://${index}`);
        await page.getByText("NHS login conformance").first().waitFor({ timeout: 20_000 });
        await page
          .getByText(/^Failed$/)
          .first()
          .waitFor({ timeout: 10_000 });
        const overview = await page.locator("body").innerText();
        const count = (label: string) => Number(new RegExp(`\\n${label}\\n(\\d+)`).exec(overview)?.[1] ?? 0);
        const total = s.totals.passed + s.totals.failed + s.totals.warnings + s.totals.skipped + s.totals.manual;
        expect(count("Total")).toBe(total);
        expect(count("Failed")).toBe(s.totals.failed);
        expect(count("Passed")).toBe(s.totals.passed + s.totals.warnings);
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, "allure-overview.png") });

        await page.getByPlaceholder("Search tests").fill("the jwt-bearer grant answers");
        await page
          .getByText(/the jwt-bearer grant answers 200/)
          .first()
          .click();
        await page
          .getByText(/^Error$/)
          .first()
          .waitFor({ timeout: 10_000 });
        const detail = await page.locator("body").innerText();
        expect(detail).toContain("UEV2-TOKEN-12");
        expect(detail).toContain("Failed");
        expect(detail).toMatch(/UEV2-TOKEN-12: Cache-Control is \w+, expected no-store/);
        await page.screenshot({ path: join(SHOTS, "allure-failed-check.png"), fullPage: true });

        await page
          .getByText(/^Attachments/)
          .first()
          .click();
        await page.getByText("POST /token response access_token (JWT, signature removed)").first().click();
        const token = page.getByText('"signature": "removed from the report"').first();
        await token.waitFor({ timeout: 10_000 });
        const attachment = await page.locator("body").innerText();
        expect(attachment).toMatch(/"alg": "RS512"/);
        expect(attachment).toMatch(/"token_use": "access"/);
        expect(signedJwts(attachment)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, "allure-token-attachment.png"), fullPage: true });

        expect(outside, "the report made requests outside the file").toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
    90_000,
  );
  it.skipIf(!HAVE_CHROMIUM && !IN_CI)(
    "the statement opens from disk without scripts; the failed row links to its Allure test, which shows the check",
    async () => {
      if (!HAVE_CHROMIUM) throw new Error(INSTALL_HINT);
      const statement = join(reports(), "conformance-statement.html");
      expect(readFileSync(statement, "utf8")).not.toMatch(/<script/i);
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--headless", ...CHROMIUM_ARGS] });
      try {
        // No script at all: the statement must read without one.
        const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1400, height: 1100 } });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        await page.goto(`file://${statement}#UEV2-TOKEN-12`);
        const row = page.locator("tr#UEV2-TOKEN-12");
        expect(await row.getAttribute("class")).toBe("failed");
        expect(await row.innerText()).toMatch(/failed[\s\S]*Cache-Control/);
        const failedCheck = row.locator("li:has(span.failed) a.allure").first();
        const checkName = await failedCheck.innerText();
        const href = await failedCheck.getAttribute("href");
        expect(href).toMatch(/^allure-report\/index\.html#[0-9a-f]{32}$/);
        mkdirSync(SHOTS, { recursive: true });
        await row.screenshot({ path: join(SHOTS, "statement-failed-row.png") });
        await page.screenshot({ path: join(SHOTS, "statement.png") });
        // The Allure report needs its scripts: follow the link in a page that runs them.
        const viewer = await (await browser.newContext()).newPage();
        await viewer.goto(new URL(href!, `file://${statement}`).href);
        await viewer.getByText(checkName).first().waitFor({ timeout: 20_000 });
        expect(await viewer.locator("body").innerText()).toMatch(/UEV2-TOKEN-12: .*Cache-Control is absent/);
      } finally {
        await browser.close();
      }
    },
    90_000,
  );
});
