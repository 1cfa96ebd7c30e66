/**
 * The artefact checks against artefacts captured from the embedded simulator: every check passes
 * on the good folder, fails on a tampered copy (one tamper per check, in TAMPERS), skips exactly
 * the checks that need a missing file, fails with the reason on garbage, and fetches the JWKS
 * from the issuer when the folder has no jwks.json.
 */
import { runCheck } from "../../lib/checks/run-check.ts";
import { createServer } from "node:net";
import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadArtefacts, needProblem, artefactGate, type ArtefactCheck, type ArtefactNeed } from "../../lib/artefacts/index.ts";
import { ARTEFACT_CHECKS } from "../../lib/artefacts/checks.ts";
import type { FindingStatus } from "../../lib/requirements/index.ts";
import { overallStatus } from "../../lib/checks/grade.ts";
import { captureArtefacts, editJson, resign, strangerKey, type Captured } from "./_capture.ts";
import { TAMPERS } from "./_tampers.ts";

let cap: Captured;
beforeAll(async () => {
  cap = await captureArtefacts();
}, 60_000);
afterAll(async () => cap?.stop());

const key = (c: ArtefactCheck) => c.ids[0]!;
const CHECK = (id: string) => ARTEFACT_CHECKS.find((c) => key(c) === id)!;

interface Outcome {
  status: FindingStatus;
  messages: string;
}

/** Run every check over a folder; outcome per check (primary ID). */
async function runAll(dir: string | undefined): Promise<Map<string, Outcome>> {
  const set = await loadArtefacts(dir, { httpOptions: { timeoutMs: 3000 } });
  const out = new Map<string, Outcome>();
  for (const c of ARTEFACT_CHECKS) {
    const findings = await runCheck(c, set, artefactGate);
    out.set(key(c), {
      status: overallStatus(findings),
      messages: findings.map((f) => `${f.requirement} ${f.status}: ${f.message}`).join("\n"),
    });
  }
  return out;
}

async function runOne(dir: string, id: string): Promise<Outcome> {
  const findings = await runCheck(CHECK(id), await loadArtefacts(dir, { httpOptions: { timeoutMs: 3000 } }), artefactGate);
  return { status: overallStatus(findings), messages: findings.map((f) => `${f.requirement} ${f.status}: ${f.message}`).join("\n") };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const write = (dir: string, file: string, text: string) => writeFileSync(join(dir, file), text);

/** Re-sign a token file of the folder with a stranger key after changing it. */
async function resignFile(dir: string, file: string, change: Parameters<typeof resign>[2]): Promise<void> {
  write(dir, file, await resign(read(dir, file), strangerKey(), change));
}

/** One tamper of test/artefacts/_tampers.ts per check (by primary ID), and the reason the check must then give. */
const TAMPER_OF: Record<string, { tamper: string; reason: RegExp }> = {
  "FED-JWT-01": { tamper: "id-token-header-rs256", reason: /FED-JWT-01 failed: ID token header alg is "RS256"/ },
  "FED-DISC-02": { tamper: "id-token-signature-flipped", reason: /FED-IDT-17 failed: the ID token signature does not verify/ },
  "FED-IDT-01": { tamper: "expected-other-client-id", reason: /FED-IDT-03 failed: ID token aud is .* expected "someone-else"/ },
  "FED-IDT-06": { tamper: "id-token-without-jti", reason: /FED-IDT-06 failed: .*jti absent/ },
  "TTL-02": { tamper: "id-token-two-hours", reason: /TTL-02 failed: the ID token lives 7200 s/ },
  "FED-IDT-08": { tamper: "expected-other-nonce", reason: /FED-IDT-08 failed: nonce is/ },
  "FED-IDT-10": { tamper: "expected-vtr-unmet", reason: /VOT-06 failed: .*satisfies none of the requested vectors \["P9.Cm"\]/ },
  "FED-IDT-11": { tamper: "expected-issuer-other-host", reason: /VOT-07 failed: .*expected the issuer host "auth.sandpit.signin.nhs.uk"/ },
  "SCOPE-02": { tamper: "id-token-bad-nhs-number", reason: /FED-IDT-14 failed: nhs_number is "9990010006"/ },
  "FED-AT-01": { tamper: "access-token-signature-flipped", reason: /FED-AT-01 failed: the access token signature does not verify/ },
  "FED-AT-02": { tamper: "expected-scopes-without-phone", reason: /FED-AT-03 failed: access token scope has phone/ },
  "TTL-03": { tamper: "access-token-one-hour", reason: /TTL-03 failed: the access token lives 3600 s/ },
  "FED-UI-02": { tamper: "userinfo-other-sub", reason: /FED-UI-05 failed: UserInfo sub is "another-person"/ },
  "FED-UI-03": { tamper: "userinfo-null-claim", reason: /FED-UI-03 failed: null or empty values at \/email/ },
  "UEV2-TOKEN-12": { tamper: "users-v2-token-no-cache-control", reason: /UEV2-TOKEN-12 failed: users-v2-token.json: Cache-Control/ },
  "UEV2-AT-01": {
    tamper: "users-v2-access-token-signature-flipped",
    reason: /UEV2-AT-12 failed: users-v2-token.json: the RS512 signature does not verify/,
  },
  "UEV2-RESP-01": {
    tamper: "users-v2-eight-digit-nhs-number",
    reason: /UEV2-RESP-11 failed: users-v2-search.json: Resources\[0\]: nhsNumber is "99900100"/,
  },
  "UEV2-ERR-13": {
    tamper: "users-v2-error-wrong-text",
    reason: /UEV2-ERR-13 failed: users-v2-error.json: description is "Invalid Syntax"/,
  },
  "KEY-02": { tamper: "public-key-with-private-key", reason: /KEY-03 failed: public_key\.pem holds a PRIVATE KEY block/ },
};

/** Which checks need which file (the inverse of `needs`). */
const NEED_OF_FILE: Record<string, ArtefactNeed> = {
  "id_token.jwt": "id-token",
  "access_token.jwt": "access-token",
  "userinfo.json": "userinfo",
  "expected.json": "expected",
  "users-v2-token.json": "users-v2-token-response",
  "users-v2-search.json": "users-v2-list-response",
  "users-v2-error.json": "users-v2-error",
  "public_key.pem": "public-key",
};

describe("artefact checks on artefacts captured from the simulator", () => {
  let good: Map<string, Outcome>;
  beforeAll(async () => {
    good = await runAll(cap.dir);
  }, 60_000);

  it("every check passes on the good folder (warnings only for the simulator's plain-http loopback vtm)", () => {
    for (const c of ARTEFACT_CHECKS) {
      const o = good.get(key(c))!;
      expect(["passed", "warning"], `${key(c)}\n${o.messages}`).toContain(o.status);
      if (o.status === "warning") expect(o.messages).toMatch(/plain http on loopback/);
    }
  });

  it("has a tamper for every check", () => {
    expect(Object.keys(TAMPER_OF).sort()).toEqual(ARTEFACT_CHECKS.map(key).sort());
  });

  for (const [id, { tamper, reason }] of Object.entries(TAMPER_OF)) {
    it(`${id} fails: ${TAMPERS[tamper]!.what}`, async () => {
      const dir = cap.copy();
      await TAMPERS[tamper]!.tamper(dir, cap);
      const o = await runOne(dir, id);
      expect(o.status, o.messages).toBe("failed");
      expect(o.messages).toMatch(reason);
    });
  }

  it("an ID token signed by a key absent from jwks.json fails the signature and the kid lookup", async () => {
    const dir = cap.copy();
    await resignFile(dir, "id_token.jwt", { header: { kid: "stranger-key" } });
    const signature = await runOne(dir, "FED-DISC-02");
    expect(signature.status).toBe("failed");
    expect(signature.messages).toMatch(/does not verify/);
    const header = await runOne(dir, "FED-JWT-01");
    expect(header.status).toBe("failed");
    expect(header.messages).toMatch(/FED-DISC-02 failed: ID token kid "stranger-key" names no key of the JWKS/);
  });

  it("the same key pair with the published kid still fails: the signature is checked, not just the kid", async () => {
    const dir = cap.copy();
    await resignFile(dir, "id_token.jwt", {});
    expect((await runOne(dir, "FED-DISC-02")).status).toBe("failed");
  });

  it("a users-v2 error envelope is held to the row of the filter it records", async () => {
    const dir = cap.copy();
    write(
      dir,
      "users-v2-error.json",
      JSON.stringify({
        status: 400,
        headers: { "content-type": "application/json" },
        body: { Errors: [{ description: "Invalid operator", code: "400" }] },
        request: { filter: "nhsnumber eq 9990010005" },
      }),
    );
    const o = await runOne(dir, "UEV2-ERR-13");
    expect(o.status, o.messages).toBe("failed");
    expect(o.messages).toMatch(/UEV2-ERR-01 failed: .*"Invalid operator", expected "Invalid syntax"/);
  });
});

describe("expiry of captured tokens", () => {
  it("an expired token is information, judged as at its iat, when expected.json has no captured_at", async () => {
    const dir = cap.copy();
    const iat = Math.floor(Date.now() / 1000) - 86_400;
    await resignFile(dir, "id_token.jwt", { claims: { iat, exp: iat + 3600, auth_time: iat } });
    const o = await runOne(dir, "FED-IDT-01");
    expect(o.status, o.messages).toBe("passed");
    expect(o.messages).toMatch(/information: the ID token expired at .*judged as at its own iat/);
  });

  it("with captured_at after exp the token fails FED-IDT-04; before exp it passes", async () => {
    const dir = cap.copy();
    const { exp, iat } = decodeJwt(read(dir, "id_token.jwt").trim()) as { exp: number; iat: number };
    editJson(dir, "expected.json", (x) => void (x.captured_at = exp + 3600));
    const late = await runOne(dir, "FED-IDT-01");
    expect(late.status).toBe("failed");
    expect(late.messages).toMatch(/FED-IDT-04 failed: exp .* in the past/);
    editJson(dir, "expected.json", (x) => void (x.captured_at = new Date((iat + 60) * 1000).toISOString()));
    expect((await runOne(dir, "FED-IDT-01")).status).toBe("passed");
  });
});

describe("missing files", () => {
  for (const [file, need] of Object.entries(NEED_OF_FILE)) {
    it(`without ${file}, exactly the checks that need it are skipped, with the reason`, async () => {
      const dir = cap.copy();
      rmSync(join(dir, file));
      const outcomes = await runAll(dir);
      const good = await runAll(cap.dir);
      for (const c of ARTEFACT_CHECKS) {
        const o = outcomes.get(key(c))!;
        if ((c.needs ?? []).includes(need)) {
          expect(o.status, `${key(c)}\n${o.messages}`).toBe("skipped");
          expect(o.messages).toMatch(
            file.startsWith("users-v2") ? /no users-v2-\*\.json .* captures/ : new RegExp(`${file.replace(".", "\\.")} is not in`),
          );
        } else {
          expect(o.status, `${key(c)} without ${file}\n${o.messages}`).toBe(good.get(key(c))!.status);
        }
      }
    }, 30_000);
  }

  it("without expected.json the nonce check says so; without a nonce in it, it is skipped with the reason", async () => {
    const dir = cap.copy();
    editJson(dir, "expected.json", (x) => void delete x.nonce);
    const o = await runOne(dir, "FED-IDT-08");
    expect(o.status).toBe("skipped");
    expect(o.messages).toMatch(/expected\.json gives no nonce/);
  });

  it("without ARTEFACTS_DIR every check is skipped with that reason", async () => {
    const outcomes = await runAll(undefined);
    for (const o of outcomes.values()) {
      expect(o.status).toBe("skipped");
      expect(o.messages).toMatch(/ARTEFACTS_DIR is not set/);
    }
  });
});

describe("garbage", () => {
  /** The checks that need `need` fail with a message matching `reason`; the others keep their good status. */
  async function expectFailures(dir: string, need: ArtefactNeed, reason: RegExp): Promise<void> {
    const outcomes = await runAll(dir);
    const good = await runAll(cap.dir);
    for (const c of ARTEFACT_CHECKS) {
      const o = outcomes.get(key(c))!;
      if ((c.needs ?? []).includes(need)) {
        expect(o.status, `${key(c)}\n${o.messages}`).toBe("failed");
        expect(o.messages).toMatch(reason);
      } else {
        expect(o.status, `${key(c)}\n${o.messages}`).toBe(good.get(key(c))!.status);
      }
    }
  }

  it("an ID token that is not a JWT fails its checks with the reason", async () => {
    const dir = cap.copy();
    write(dir, "id_token.jwt", "this is not a token");
    await expectFailures(dir, "id-token", /id_token\.jwt is not a compact JWT/);
  });

  it("a 50 MB ID token file is refused without being read", async () => {
    const dir = cap.copy();
    truncateSync(join(dir, "id_token.jwt"), 50 * 1024 * 1024);
    await expectFailures(dir, "id-token", /id_token\.jwt is 52428800 bytes, more than the 1048576/);
  });

  it("a userinfo.json that is not JSON fails its checks with the reason", async () => {
    const dir = cap.copy();
    write(dir, "userinfo.json", "<html>oops</html>");
    await expectFailures(dir, "userinfo", /userinfo\.json is not JSON/);
  });

  it("an expected.json of the wrong shape fails the checks that need it", async () => {
    const dir = cap.copy();
    write(dir, "expected.json", JSON.stringify({ issuer: 42, client_id: "x", scopes: "openid" }));
    await expectFailures(dir, "expected", /expected\.json: issuer is 42, expected a non-empty string/);
  });

  it("an access token file of bytes that are not UTF-8 fails its checks", async () => {
    const dir = cap.copy();
    writeFileSync(join(dir, "access_token.jwt"), Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]));
    await expectFailures(dir, "access-token", /access_token\.jwt is not UTF-8 text/);
  });

  it("a directory where a file should be fails with the reason", async () => {
    const dir = cap.copy();
    rmSync(join(dir, "userinfo.json"));
    mkdirSync(join(dir, "userinfo.json"));
    await expectFailures(dir, "userinfo", /userinfo\.json is not a regular file/);
  });

  it("a users-v2 file that is not JSON fails every Users V2 check, and only those", async () => {
    const dir = cap.copy();
    write(dir, "users-v2-junk.json", "not json at all");
    const outcomes = await runAll(dir);
    const good = await runAll(cap.dir);
    for (const c of ARTEFACT_CHECKS) {
      const o = outcomes.get(key(c))!;
      const usersV2 = (c.needs ?? []).some((n) => n.startsWith("users-v2-"));
      expect(o.status, `${key(c)}\n${o.messages}`).toBe(usersV2 ? "failed" : good.get(key(c))!.status);
      if (usersV2) expect(o.messages).toMatch(/users-v2-junk\.json is not JSON/);
    }
  });

  it("a users-v2 body of no known kind fails with the reason", async () => {
    const dir = cap.copy();
    write(dir, "users-v2-odd.json", JSON.stringify({ hello: "world" }));
    const o = await runOne(dir, "UEV2-ERR-13");
    expect(o.status).toBe("failed");
    expect(o.messages).toMatch(/users-v2-odd\.json: the body is neither a token response/);
  });

  it("a jwks.json that is not a JWKS fails every signature check with the reason (no silent fallback)", async () => {
    const dir = cap.copy();
    write(dir, "jwks.json", "[]");
    const outcomes = await runAll(dir);
    for (const id of ["FED-DISC-02", "FED-AT-01", "UEV2-AT-01"]) {
      expect(outcomes.get(id)!.status, id).toBe("failed");
      expect(outcomes.get(id)!.messages).toMatch(/jwks\.json is not a JWKS/);
    }
  });

  it("a check over garbage never throws: every garbage file at once still gives findings", async () => {
    const dir = cap.copy();
    for (const f of [
      "id_token.jwt",
      "access_token.jwt",
      "userinfo.json",
      "expected.json",
      "jwks.json",
      "users-v2-token.json",
      "users-v2-search.json",
      "users-v2-error.json",
      "public_key.pem",
    ]) {
      write(dir, f, "\u0000garbage{[");
    }
    const outcomes = await runAll(dir);
    for (const o of outcomes.values()) expect(o.status).toBe("failed");
  });
});

describe("the JWKS without jwks.json", () => {
  it("is fetched from the issuer of expected.json through its discovery document", async () => {
    const dir = cap.copy();
    rmSync(join(dir, "jwks.json"));
    const set = await loadArtefacts(dir, { httpOptions: { timeoutMs: 3000 } });
    const findings = await runCheck(CHECK("FED-DISC-02"), set, artefactGate);
    expect(overallStatus(findings)).toBe("passed");
    expect(findings[0]!.message).toContain(`keys from ${cap.sim.issuer}/.well-known/jwks.json`);
    expect(set.exchanges.map((x) => x.request.url)).toEqual([
      `${cap.sim.issuer}/.well-known/openid-configuration`,
      `${cap.sim.issuer}/.well-known/jwks.json`,
    ]);
    // Fetched once for the whole set.
    await runCheck(CHECK("FED-AT-01"), set, artefactGate);
    expect(set.exchanges).toHaveLength(2);
  });

  it("when the issuer cannot be reached, the signature checks fail with the reason", async () => {
    const dir = cap.copy();
    rmSync(join(dir, "jwks.json"));
    const port = await closedPort();
    editJson(dir, "expected.json", (x) => void (x.issuer = `http://127.0.0.1:${port}`));
    const outcomes = await runAll(dir);
    for (const id of ["FED-DISC-02", "FED-AT-01", "UEV2-AT-01"]) {
      expect(outcomes.get(id)!.status, id).toBe("failed");
      expect(outcomes.get(id)!.messages).toMatch(
        new RegExp(
          /unverified: no jwks\.json, and the JWKS could not be fetched: /.source +
            /the discovery document http:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration could not be fetched/.source,
        ),
      );
    }
  });

  it("with neither jwks.json nor expected.json, the signature checks fail saying so", async () => {
    const dir = cap.copy();
    rmSync(join(dir, "jwks.json"));
    rmSync(join(dir, "expected.json"));
    const o = await runOne(dir, "FED-DISC-02");
    expect(o.status).toBe("failed");
    expect(o.messages).toMatch(/jwks\.json is not in .*and the issuer whose JWKS to fetch is unknown: expected\.json is not in/);
  });
});

describe("needs", () => {
  it("every check declares what it needs, and needProblem tells missing from unreadable", async () => {
    for (const c of ARTEFACT_CHECKS) expect((c.needs ?? []).length).toBeGreaterThan(0);
    const set = await loadArtefacts(cap.dir);
    for (const need of Object.values(NEED_OF_FILE)) expect(needProblem(set, need)).toBeUndefined();
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
