/**
 * A full default run (embedded simulator, bundled reference service) with a known harness key:
 * it passes, and no report file nor the run's log holds the key, a token with its signature, or
 * a masked secret's value. Code flows, refresh, userinfo and Users V2 all run here, so ID,
 * access and refresh tokens and client assertions pass through the reports.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Statement } from "../../lib/report/build-statement.ts";
import { REQUIREMENTS } from "../../lib/requirements/index.ts";
import { MANUAL_SCENARIOS } from "../../lib/requirements/manual-scenarios.ts";
import { ENVIRONMENT_CHECKS } from "../../lib/checks/environment/checks.ts";
import { SERVICE_CHECKS } from "../../lib/checks/service/index.ts";
import { ARTEFACT_CHECKS } from "../../lib/artefacts/checks.ts";
import { filesUnder, keyMaterial, runConformance, searchableTexts, signedJwts, type RunResult } from "./_run.ts";

describe("secret scan of a full default run", () => {
  let dir: string;
  let key: KeyObject;
  let run: RunResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "conformance-secrets-"));
    key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    writeFileSync(join(dir, "harness-key.pem"), key.export({ type: "pkcs8", format: "pem" }));
    mkdirSync(join(dir, "reports"));
    run = await runConformance([], join(dir, "reports"), { NHSLOGIN_PRIVATE_KEY_FILE: join(dir, "harness-key.pem") });
    writeFileSync(join(dir, "run.log"), run.out);
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("passes offline with every report written", () => {
    expect(run.code, run.out).toBe(0);
    const names = filesUnder(join(dir, "reports")).map((f) => f.slice(join(dir, "reports").length + 1));
    const expected = [
      "summary.json",
      "summary.md",
      "junit.xml",
      "allure-report/index.html",
      "conformance-statement.html",
      "conformance-statement.csv",
      "conformance-statement.json",
    ];
    for (const n of expected) expect(names).toContain(n);
    expect(names.some((n) => /^history\/.+\.jsonl$/.test(n))).toBe(true);
    expect(names.some((n) => n.startsWith("allure-results/") && n.endsWith("-attachment.json"))).toBe(true);
  });

  it("leaves no key material, no signed JWT and no raw refresh token in reports/ or the log", () => {
    const material = keyMaterial(key);
    const files = [...filesUnder(join(dir, "reports")), join(dir, "run.log")];
    const leaks: string[] = [];
    let jwtsSeen = 0;
    // An asserted_login_identity's `code` claim is an ID token's jti (kept, as every claim is), not an authorization code.
    const jtis = new Set(
      files.flatMap((f) => searchableTexts(f).flatMap((t) => [...t.matchAll(/"jti"\s*:\s*"([^"]*)"/g)].map((m) => m[1]!))),
    );
    for (const f of files) {
      for (const text of searchableTexts(f)) {
        for (const m of material) if (text.includes(m)) leaks.push(`${f}: key material ${m.slice(0, 12)}…`);
        for (const jwt of signedJwts(text)) leaks.push(`${f}: signed JWT ${jwt.slice(0, 40)}…`);
        if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) leaks.push(`${f}: PEM private key`);
        // Opaque token values are masked wherever they are named.
        for (const m of text.matchAll(/"(refresh_token|access_token|id_token|code|client_secret)"\s*:\s*"([^"]*)"/g)) {
          if (m[2] === "[redacted]" || /\.<signature removed>$/.test(m[2]!) || (m[1] === "code" && jtis.has(m[2]!))) continue;
          leaks.push(`${f}: ${m[1]} = ${m[2]!.slice(0, 24)}…`);
        }
        // Authorization headers keep their scheme only: the credential is masked or a redacted JWT.
        for (const m of text.matchAll(/^authorization: (\w+) (.*)$/gim)) {
          if (m[2] !== "[redacted]" && !m[2]!.endsWith(".<signature removed>"))
            leaks.push(`${f}: authorization ${m[1]} ${m[2]!.slice(0, 16)}…`);
        }
        jwtsSeen += (text.match(/\.<signature removed>/g) ?? []).length;
      }
    }
    expect(leaks).toEqual([]);
    // The run did carry tokens into the reports (redacted), so the scan looked at something.
    expect(jwtsSeen).toBeGreaterThan(10);
    expect(readFileSync(join(dir, "reports", "summary.json"), "utf8")).not.toContain("PRIVATE KEY");
  });

  it("states every catalogue row, and its coverage equals what the check tables cite", () => {
    const statement = JSON.parse(readFileSync(join(dir, "reports", "conformance-statement.json"), "utf8")) as Statement;
    expect(statement.rows.map((r) => r.id)).toEqual(REQUIREMENTS.map((r) => r.id));
    const judged = new Set(["passed", "failed", "warning", "inconclusive", "skipped"]);
    const covered = statement.rows.filter((r) => judged.has(r.status)).map((r) => r.id);
    const cited = new Set([...ENVIRONMENT_CHECKS, ...SERVICE_CHECKS, ...ARTEFACT_CHECKS].flatMap((c) => c.ids));
    expect(covered.sort()).toEqual([...cited].sort());
    const manualOnly = new Set(MANUAL_SCENARIOS.flatMap((m) => m.requirements).filter((id) => !cited.has(id)));
    expect(
      statement.rows
        .filter((r) => r.status === "manual: open")
        .map((r) => r.id)
        .sort(),
    ).toEqual([...manualOnly].sort());
    const c = statement.coverage.all;
    expect(c.total).toBe(REQUIREMENTS.length);
    expect(c.passed + c.failed + c.warning + c.inconclusive + c.skipped).toBe(cited.size);
    expect(run.out).toContain(`Requirements (${REQUIREMENTS.length} catalogue rows): `);
  });

  it("would notice a leak: the scanner finds a planted PEM, key slice and signed JWT", () => {
    const planted = join(dir, "planted.txt");
    const pem = key.export({ type: "pkcs8", format: "pem" }).toString();
    const jwtHeader = Buffer.from('{"alg":"RS512"}').toString("base64url");
    const jwtPayload = Buffer.from('{"sub":"x"}').toString("base64url");
    const jwt = `${jwtHeader}.${jwtPayload}.${"s".repeat(40)}`;
    writeFileSync(planted, `${pem}\n${jwt}\n`);
    const text = searchableTexts(planted).join("\n");
    expect(keyMaterial(key).filter((m) => text.includes(m)).length).toBeGreaterThan(5);
    expect(signedJwts(text)).toEqual([jwt]);
  });
});
