/**
 * Test helper: an embedded simulator that can be broken in every way the environment breakers of
 * test/breakers.ts name (a simulator defect, a fault armed for the next sign-in, a persona with
 * bad data, or a stand-in endpoint that accepts everything), and a runner for one check under one
 * breaker in a fresh context.
 */
import { createServer, type Server } from "node:http";
import type { EnvironmentCheck, EnvironmentContext } from "../../../lib/checks/environment/environment-check.ts";
import { environmentGate } from "../../../lib/checks/environment/environment-check.ts";
import { runCheck } from "../../../lib/checks/run-check.ts";
import type { Finding } from "../../../lib/requirements/index.ts";
import { PERSONAS, type Persona } from "../../../lib/simulator/personas.ts";
import type { EnvironmentBreaker } from "../../breakers.ts";
import { startTestEnvironment, type TestEnvironment } from "./_env.ts";
import { makeRunCertificates } from "../../../lib/simulator/tls/make-run-certificates.ts";

/** A P9 person whose NHS number fails the modulus 11 check: an environment issuing bad data. */
export const BAD_NHS_NUMBER: Persona = {
  ...PERSONAS.find((p) => p.id === "p9")!,
  id: "bad-nhs-number",
  sub: "b4d0c0de-0000-4000-8000-000000000009",
  nhsNumber: "9990010006",
};

const P9 = PERSONAS.find((p) => p.id === "p9")!;
const P5 = PERSONAS.find((p) => p.id === "p5")!;

/** Scopes that also exercise PATCH /userinfo (client_metadata). */
export const METADATA_SCOPES = ["openid", "profile", "email", "phone", "client_metadata"];

export interface BreakableEnvironment {
  t: TestEnvironment;
  /** Run `check` under `breaker` (none: the correct simulator) in a fresh context; the simulator is reset after. */
  run(check: EnvironmentCheck, breaker?: EnvironmentBreaker): Promise<Finding[]>;
  stop(): Promise<void>;
}

export async function startBreakableEnvironment(): Promise<BreakableEnvironment> {
  const plain = await startTestEnvironment({ personas: [...PERSONAS, BAD_NHS_NUMBER] });
  // An endpoint that accepts everything: /authorize redirects with a code whatever was asked,
  // /userinfo answers 200 to any method and any (or no) token.
  const stub: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/authorize") {
      const target = new URL(url.searchParams.get("redirect_uri") ?? "https://nowhere.invalid/");
      target.searchParams.set("code", "stub-code");
      const state = url.searchParams.get("state");
      if (state !== null) target.searchParams.set("state", state);
      res.writeHead(302, { location: target.href }).end();
    } else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sub: "someone" }));
  });
  await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
  const address = stub.address();
  const stubUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  // The https mode (SIMULATOR_TLS), started on the first breaker that needs it.
  let tlsEnvironment: Promise<TestEnvironment> | undefined;
  const withTls = () => {
    tlsEnvironment ??= makeRunCertificates().then((c) =>
      startTestEnvironment({ personas: [...PERSONAS, BAD_NHS_NUMBER], tls: { cert: c.certPem, key: c.keyPem } }, { ca: c.caPem }),
    );
    return tlsEnvironment;
  };

  const contextFor = (t: TestEnvironment, breaker?: EnvironmentBreaker): EnvironmentContext => {
    const base = t.fresh();
    // As the environment suite runs against the simulator: its P9 and P5 personas as the test accounts.
    const env: EnvironmentContext = {
      ...base,
      scopes: breaker?.scopes ?? METADATA_SCOPES,
      testNhsNumber: P9.nhsNumber!,
      testEmail: P9.email,
      testNhsNumber2: P5.nhsNumber!,
      testEmail2: P5.email,
    };
    if (breaker && "stub" in breaker) {
      const member = breaker.stub;
      const path = member === "authorization_endpoint" ? "/authorize" : "/userinfo";
      env.discovery = async () => ({ ...(await base.discovery()), [member]: `${stubUrl}${path}` });
    }
    return env;
  };

  return {
    t: plain,
    async run(check, breaker) {
      const t = breaker?.tls ? await withTls() : plain;
      const env = contextFor(t, breaker);
      try {
        if (breaker && "defect" in breaker) await t.sim.setDefects([breaker.defect]);
        if (breaker && "fault" in breaker) t.sim.arm({ faults: [breaker.fault] });
        if (breaker && "persona" in breaker) t.sim.arm({ persona: breaker.persona });
        return await runCheck(check, env, environmentGate);
      } finally {
        await env.http.close();
        await t.sim.setDefects([]);
        t.sim.reset();
      }
    },
    async stop() {
      await new Promise<void>((resolve) => stub.close(() => resolve()));
      await plain.stop();
      if (tlsEnvironment) await (await tlsEnvironment).stop();
    },
  };
}
