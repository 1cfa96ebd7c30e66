/**
 * The Users V2 environment checks against the simulator: every check passes on a correct
 * simulator, and each goes failed (or warning) under the defect that breaks it. Where no
 * simulator defect models the breakage (an unused NHS number answered 404, a write accepted),
 * the check runs through a response rewriter in front of the simulator instead.
 */
import { runCheck } from "../../../lib/checks/run-check.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USERS_V2_CHECKS } from "../../../lib/checks/users-v2/checks.ts";
import { environmentGate, type EnvironmentCheck, type EnvironmentContext } from "../../../lib/checks/environment/environment-check.ts";
import type { HttpRequest, HttpResponse } from "../../../lib/http/index.ts";
import type { DefectId } from "../../../lib/simulator/faults.ts";
import { PERSONAS } from "../../../lib/simulator/personas.ts";
import type { FindingStatus } from "../../../lib/requirements/index.ts";
import { overallStatus } from "../../../lib/checks/grade.ts";
import { startTestEnvironment, type TestEnvironment } from "../environment/_env.ts";

const P9 = PERSONAS.find((p) => p.id === "p9")!;
const P5 = PERSONAS.find((p) => p.id === "p5")!;

let t: TestEnvironment;
beforeAll(async () => {
  t = await startTestEnvironment();
});
afterAll(() => t.stop());

type Rewrite = (req: HttpRequest, res: HttpResponse) => HttpResponse;

interface RunOptions {
  /** Test identities: both personas (default), only P9, or none. */
  identities?: "two" | "one" | "none";
  rewrite?: Rewrite;
}

/** A fresh context with the persona identities, optionally behind a response rewriter. */
function contextFor(options: RunOptions): EnvironmentContext {
  const base = t.fresh();
  const identities = options.identities ?? "two";
  const env: EnvironmentContext & { testNhsNumber2?: string; testEmail2?: string } = {
    ...base,
    ...(identities !== "none" ? { testNhsNumber: P9.nhsNumber!, testEmail: P9.email } : {}),
    ...(identities === "two" ? { testNhsNumber2: P5.nhsNumber!, testEmail2: P5.email } : {}),
  };
  const rewrite = options.rewrite;
  if (rewrite) {
    env.http = {
      exchanges: base.http.exchanges,
      recordExchange: (x) => base.http.recordExchange(x),
      close: () => base.http.close(),
      request: async (req) => rewrite(req, await base.http.request(req)),
    };
  }
  return env;
}

async function run(check: EnvironmentCheck, options: RunOptions = {}): Promise<{ status: FindingStatus; messages: string }> {
  const env = contextFor(options);
  try {
    const findings = await runCheck(check, env, environmentGate);
    return { status: overallStatus(findings), messages: findings.map((f) => `${f.requirement} ${f.status}: ${f.message}`).join("\n") };
  } finally {
    await env.http.close();
  }
}

/** A response replaced for requests that `when` selects. */
function replacing(
  when: (req: HttpRequest) => boolean,
  status: number,
  body: string,
  headers: Record<string, string> = { "content-type": "application/json" },
): Rewrite {
  return (req, res) => (when(req) ? { ...res, status, headers, text: body, json: () => JSON.parse(body) as never } : res);
}
const urlOf = (req: HttpRequest) => String(req.url);

type Breaker = { defect: DefectId; expected: "failed" | "warning" } | { rewrite: Rewrite; why: string; expected: "failed" | "warning" };

/** Each check (by its IDs), what breaks it, and the status it must then have. */
const BREAKS: Record<string, readonly Breaker[]> = {
  "uev2-token-12": [
    { defect: "token-no-cache-headers", expected: "failed" },
    { defect: "uev2-token-lifetime-wrong", expected: "failed" },
  ],
  "uev2-at-01": [
    { defect: "uev2-access-token-claims-wrong", expected: "failed" },
    { defect: "uev2-token-lifetime-wrong", expected: "failed" },
    { defect: "rs256-signing", expected: "failed" },
  ],
  "uev2-token-10": [{ defect: "token-lax-client-auth", expected: "failed" }],
  "uev2-token-09": [{ defect: "token-lax-client-auth", expected: "failed" }],
  "uev2-token-08": [{ defect: "token-lax-client-auth", expected: "failed" }],
  "uev2-token-02": [
    { defect: "token-wrong-error-codes", expected: "warning" },
    { defect: "token-error-not-json", expected: "failed" },
  ],
  "uev2-resp-04": [
    { defect: "uev2-no-match-404", expected: "failed" },
    {
      rewrite: replacing((r) => urlOf(r).includes("9990099995"), 404, '{"Errors":[{"description":"Not found","code":"404"}]}'),
      why: "an unused NHS number answered 404 instead of 200 totalResults 0",
      expected: "failed",
    },
    {
      rewrite: replacing(
        (r) => urlOf(r).includes("9990099995"),
        200,
        '{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":{}}',
      ),
      why: "an unused NHS number answered with Resources as an object",
      expected: "failed",
    },
  ],
  "uev2-resp-01": [{ defect: "uev2-attributes-ignore-scope", expected: "failed" }],
  "uev2-resp-01-2": [{ defect: "uev2-attributes-ignore-scope", expected: "failed" }],
  "uev2-filter-07": [{ defect: "uev2-or-binds-first", expected: "failed" }],
  "uev2-resp-20": [{ defect: "uev2-attributes-ignore-scope", expected: "failed" }],
  "uev2-filter-06": [{ defect: "uev2-six-expressions-accepted", expected: "failed" }],
  "uev2-err-01": [{ defect: "uev2-wrong-error-text", expected: "failed" }],
  "uev2-err-02": [{ defect: "uev2-wrong-error-text", expected: "failed" }],
  "uev2-err-03": [{ defect: "uev2-wrong-error-text", expected: "failed" }],
  "uev2-err-05": [{ defect: "uev2-wrong-error-text", expected: "failed" }],
  "uev2-err-06": [{ defect: "uev2-wrong-error-text", expected: "failed" }],
  "uev2-err-08": [{ defect: "uev2-wrong-error-text", expected: "failed" }],
  "uev2-err-10": [
    { defect: "uev2-scope-not-enforced", expected: "failed" },
    { defect: "uev2-wrong-error-text", expected: "failed" },
  ],
  "uev2-req-02": [{ defect: "uev2-no-token-accepted", expected: "failed" }],
  "uev2-token-05": [
    { defect: "uev2-assertion-rs256-accepted", expected: "failed" },
    { defect: "token-lax-client-auth", expected: "failed" },
  ],
  "uev2-token-18": [{ defect: "uev2-token-error-code-unlisted", expected: "failed" }],
  "uev2-token-01": [{ defect: "token-accepts-json-body", expected: "failed" }],
  "uev2-token-04": [{ defect: "uev2-scope-optional", expected: "failed" }],
  ...Object.fromEntries(
    ["03", "04", "05", "06", "07", "08"].map((n) => [
      `uev2-scope-${n}`,
      [
        { defect: "uev2-optional-scopes-ignored", expected: "warning" },
        { defect: "uev2-attributes-ignore-scope", expected: "failed" },
      ] as const,
    ]),
  ),
  "uev2-resp-06": [{ defect: "uev2-one-user-per-answer", expected: "failed" }],
  "uev2-scope-09": [{ defect: "uev2-wrong-error-text", expected: "failed" }],
  "uev2-err-09": [{ defect: "uev2-wrong-error-text", expected: "failed" }],
  "uev2-gen-03": [{ defect: "uev2-attributes-param-honoured", expected: "warning" }],
  "uev2-gen-01": [{ defect: "uev2-token-endpoint-plain-http", expected: "failed" }],
  "uev2-err-12": [
    { defect: "uev2-500-wrong-body", expected: "failed" },
    {
      rewrite: replacing((r) => urlOf(r).includes("4000") || urlOf(r).includes("%E0%A4%A"), 500, "<h1>500</h1>", {
        "content-type": "text/html",
      }),
      why: "a 500 with an HTML page",
      expected: "failed",
    },
  ],
  "uev2-gen-02": [
    { defect: "uev2-writes-accepted", expected: "failed" },
    {
      rewrite: replacing((r) => r.method === "POST" && urlOf(r).endsWith("/v2/Users"), 201, "{}"),
      why: "a POST to /v2/Users answered 201",
      expected: "failed",
    },
  ],
};

describe("Users V2 checks as data", () => {
  it("every check passes (or only warns) on a correct simulator", async () => {
    for (const c of USERS_V2_CHECKS) {
      const { status, messages } = await run(c);
      // UEV2-ERR-12 is opportunistic: a correct simulator gives no 500 to judge.
      if (c.key === "uev2-err-12") expect(messages).toMatch(/^UEV2-ERR-12 skipped: no 500 observed in \d+ probes/);
      else expect(["passed", "warning"], `${c.ids.join(" ")}\n${messages}`).toContain(status);
      expect(messages).not.toMatch(/ failed:/);
    }
  });

  it("uev2-err-12 passes a 500 that carries exactly the row 12 body", async () => {
    const c = USERS_V2_CHECKS.find((x) => x.key === "uev2-err-12")!;
    const rewrite = replacing((r) => urlOf(r).includes("%E0%A4%A"), 500, '{"error": "Internal server error"}');
    const { status, messages } = await run(c, { rewrite });
    expect(status, messages).toBe("passed");
    expect(messages).toMatch(/filter=%E0%A4%A \(broken percent-encoding\): HTTP 500 with \{"error":"Internal server error"\}/);
  });

  it("every check has at least one breaker listed", () => {
    for (const c of USERS_V2_CHECKS) expect(BREAKS[c.key]?.length ?? 0, `no breaker listed for ${c.key}`).toBeGreaterThan(0);
  });

  for (const c of USERS_V2_CHECKS) {
    const key = c.key;
    for (const b of BREAKS[key] ?? []) {
      const name = "defect" in b ? `the ${b.defect} defect` : b.why;
      it(`${key} goes ${b.expected} with ${name}`, async () => {
        if ("defect" in b) await t.sim.setDefects([b.defect]);
        try {
          const { status, messages } = await run(c, "rewrite" in b ? { rewrite: b.rewrite } : {});
          expect(status, messages).toBe(b.expected);
        } finally {
          await t.sim.setDefects([]);
        }
      });
    }
  }
});

describe("Users V2 checks and test identities", () => {
  /** The checks that need a known account (the first ID of each). */
  const NEEDS_IDENTITY = new Set([
    "UEV2-RESP-01",
    "UEV2-FILTER-07",
    "UEV2-RESP-20",
    "UEV2-SCOPE-03",
    "UEV2-SCOPE-04",
    "UEV2-SCOPE-05",
    "UEV2-SCOPE-06",
    "UEV2-SCOPE-07",
    "UEV2-SCOPE-08",
    "UEV2-RESP-06",
    "UEV2-GEN-03",
  ]);
  const usesIdentity = (c: EnvironmentCheck) => NEEDS_IDENTITY.has(c.ids[0]!);
  const searchChecks = USERS_V2_CHECKS.filter(usesIdentity);

  it("search checks are skipped with the reason when no identity is configured", async () => {
    for (const c of searchChecks) {
      const { status, messages } = await run(c, { identities: "none" });
      expect(status, messages).toBe("skipped");
      expect(messages).toMatch(/NHSLOGIN_TEST_(NHS_NUMBER|EMAIL)/);
    }
  });

  it("with one identity the two-account precedence fixture is skipped, the one-account probe still runs", async () => {
    const combos = USERS_V2_CHECKS.find((c) => c.ids[0] === "UEV2-FILTER-07")!;
    const { status, messages } = await run(combos, { identities: "one" });
    expect(status, messages).toBe("passed");
    expect(messages).toMatch(/UEV2-FILTER-07 skipped: the two-account fixture/);
    expect(messages).toMatch(/UEV2-FILTER-07 passed: precedence with one account/);
    await t.sim.setDefects(["uev2-or-binds-first"]);
    try {
      expect((await run(combos, { identities: "one" })).status).toBe("failed");
    } finally {
      await t.sim.setDefects([]);
    }
  });

  it("with two identities the catalogue fixture returns only the second account", async () => {
    const combos = USERS_V2_CHECKS.find((c) => c.ids[0] === "UEV2-FILTER-07")!;
    const { messages } = await run(combos);
    expect(messages).toMatch(new RegExp(`UEV2-FILTER-07 passed: precedence with two accounts .* returned ${P5.accountId},`));
  });

  it("the error and token checks need no identity", async () => {
    expect(searchChecks).toHaveLength(12);
    for (const c of USERS_V2_CHECKS.filter((x) => !usesIdentity(x))) {
      const { status, messages } = await run(c, { identities: "none" });
      // UEV2-ERR-12 skips for want of a 500, never of an identity.
      expect(c.key === "uev2-err-12" ? ["skipped"] : ["passed", "warning"], `${c.ids.join(" ")}\n${messages}`).toContain(status);
      expect(messages).not.toMatch(/NHSLOGIN_TEST_/);
    }
  });

  it("without the users-v2 capability every check is skipped, not failed", async () => {
    const env = { ...t.fresh(), unavailable: { "users-v2": "no Users.retrieve scope configured (NHSLOGIN_USERS_SCOPE)" } };
    try {
      for (const c of USERS_V2_CHECKS) {
        const findings = await runCheck(c, env, environmentGate);
        expect(findings.every((f) => f.status === "skipped")).toBe(true);
      }
    } finally {
      await env.http.close();
    }
  });
});
