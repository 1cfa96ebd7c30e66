/**
 * Helpers for the report tests: run the conformance runner as a user does (a child process with
 * its own REPORTS_DIR), list every file a run left behind, and look for secrets in them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { KeyObject } from "node:crypto";

export type { RunResult } from "../_support/run-conformance.ts";
import { runConformance as run, type RunResult } from "../_support/run-conformance.ts";

/** Run the runner with reports in `reportsDir` (kept: the report tests read them). */
export function runConformance(args: string[], reportsDir: string, env: Record<string, string>, timeoutMs = 120_000): Promise<RunResult> {
  return run(args, env, { reportsDir, timeoutMs });
}

/** Every file under a directory, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const path = join(dir, name);
    if (statSync(path).isFile()) out.push(path);
  }
  return out;
}

/**
 * The texts to search in a report file: the file itself and, for the single-file Allure HTML,
 * every base64 payload it embeds (results, attachments and scripts are stored base64-encoded).
 */
export function searchableTexts(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const texts = [text];
  if (path.endsWith(".html")) {
    for (const m of text.matchAll(/(?:base64,|["'])([A-Za-z0-9+/]{40,}={0,2})(?=["'])/g)) {
      texts.push(Buffer.from(m[1]!, "base64").toString("utf8"));
    }
  }
  return texts;
}

/** Distinctive pieces of a private key: PEM body lines and the private JWK members. */
export function keyMaterial(key: KeyObject): string[] {
  const pem = key.export({ type: "pkcs8", format: "pem" }).toString();
  const lines = pem.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----"));
  const jwk = key.export({ format: "jwk" }) as Record<string, string>;
  const members = ["d", "p", "q", "dp", "dq", "qi"].map((k) => jwk[k]!).filter(Boolean);
  // Also the base64 (not base64url) form of the private exponent, in 40-character slices.
  const dB64 = Buffer.from(jwk.d!, "base64url").toString("base64");
  return [...lines, ...members.map((m) => m.slice(0, 40)), dB64.slice(0, 40), dB64.slice(40, 80)];
}

/** Compact JWS in a text that still carry a signature (header decodes to JSON naming a real alg). */
export function signedJwts(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(eyJ[A-Za-z0-9_-]+)\.(eyJ[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{16,})/g)) {
    try {
      const header = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")) as { alg?: string };
      if (header.alg && header.alg !== "none") found.push(m[0]);
    } catch {
      // not a JWT header
    }
  }
  return found;
}
