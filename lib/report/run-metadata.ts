/**
 * What a reader of a report needs to know about the run that made it: when (UTC), which harness
 * (version and git commit, "+changes" when the working tree differs from it), which catalogue
 * (rows, content digest, the specification issues it was written from), which targets with which
 * client IDs, and the options. Never a key or a secret: only names, URLs and IDs.
 *
 * @example
 * ```ts
 * const run = runMetadata(config, { suites: ["environment"], grep: "FED-DISC" })
 * run.harness.commit // "9950e7a1…" or "unknown"
 * ```
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HarnessConfig } from "../config/index.ts";
import { REQUIREMENTS } from "../requirements/index.ts";
import { COMPILED, HARNESS_ROOT, PACKAGE_ROOT } from "../package-root.ts";

/** The specification issues the catalogue was written from (catalogue section 0). */
export const CATALOGUE_SOURCES = [
  "EIS Federation (OIDC) V2.1, 11 Nov 2022",
  "Users Endpoint V2 V1.1 draft, 27 Nov 2025",
  "Provision Account V1.0 draft, 31 Jan 2024",
  "NHS login developer docs at 8563198, 1 May 2026",
] as const;

export interface RunOptions {
  suites: readonly string[];
  grep?: string;
  journal?: string;
  rerunFailed?: boolean;
  html?: boolean;
}

export interface RunMetadata {
  /** ISO 8601, UTC. */
  startedAt: string;
  harness: { name: string; version: string; commit: string };
  catalogue: { rows: number; digest: string; sources: readonly string[] };
  targets: {
    environment?: { kind: string; issuer?: string; clientId?: string };
    service?: { kind: string; startUrl?: string; clientId?: string; driver: string; journal?: string };
    artefacts?: { dir?: string };
  };
  options: RunOptions;
  node: string;
}

/** What the started targets add: the client IDs actually in use (the embedded ones are generated). */
export interface StartedTargets {
  environment?: { harness?: { clientId: string } };
  service?: { clientId: string; startUrl?: string };
}

export function runMetadata(config: HarnessConfig, options: RunOptions, started: StartedTargets = {}, now: Date = new Date()): RunMetadata {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { name: string; version: string };
  const digest = createHash("sha256")
    .update(readFileSync(join(HARNESS_ROOT, "lib", "requirements", "catalogue.json")))
    .digest("hex");
  const embedded = config.environment === "simulator" && !config.nhslogin.issuer;
  const reference = !config.service.startUrl && !config.service.usersLookupUrl && !config.service.provisionUrl && !config.service.journal;
  const targets: RunMetadata["targets"] = {};
  if (options.suites.includes("environment"))
    targets.environment = {
      kind: embedded ? "embedded simulator" : config.environment,
      ...(embedded ? {} : { issuer: config.nhslogin.issuer }),
      ...(started.environment?.harness?.clientId || config.nhslogin.clientId
        ? { clientId: started.environment?.harness?.clientId ?? config.nhslogin.clientId }
        : {}),
    };
  if (options.suites.includes("service"))
    targets.service = {
      kind: reference ? "bundled reference service" : "service under test",
      ...(config.service.startUrl ? { startUrl: config.service.startUrl } : {}),
      ...(started.service?.clientId || config.service.clientId ? { clientId: started.service?.clientId ?? config.service.clientId } : {}),
      driver: config.service.driver,
      ...(config.service.journal ? { journal: config.service.journal } : {}),
    };
  if (options.suites.includes("artefacts")) targets.artefacts = config.artefacts.dir ? { dir: config.artefacts.dir } : {};
  return {
    startedAt: now.toISOString(),
    harness: { name: pkg.name, version: pkg.version, commit: gitCommit() },
    catalogue: { rows: REQUIREMENTS.length, digest: `sha256:${digest.slice(0, 16)}`, sources: CATALOGUE_SOURCES },
    targets,
    options: { ...options, suites: [...options.suites] },
    node: process.version,
  };
}

/**
 * The harness's git commit, "+changes" when files differ from it, or "unknown" outside a git
 * checkout. The installed package has none: its version names it (git would find the user's
 * repository around node_modules instead).
 */
function gitCommit(): string {
  if (COMPILED) return "package";
  try {
    const run = (args: string[]) =>
      execFileSync("git", args, { cwd: PACKAGE_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 });
    const commit = run(["rev-parse", "HEAD"]).trim();
    const dirty = run(["status", "--porcelain", "--untracked-files=no"]).trim() !== "";
    return `${commit}${dirty ? "+changes" : ""}`;
  } catch {
    return "unknown";
  }
}
