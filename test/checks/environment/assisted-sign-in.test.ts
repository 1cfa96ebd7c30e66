/**
 * Assisted sign-in with a fake person: the test reads the printed URL and plays the browser by
 * requesting the loopback redirect URI.
 */
import { runCheck } from "../../../lib/checks/run-check.ts";
import { freePort } from "../../../lib/http/free-port.ts";
import { describe, expect, it } from "vitest";
import { CI_REASON, createAssistedSignIn, redirectUriProblem } from "../../../lib/checks/environment/assisted-sign-in.ts";
import { createEnvironmentContext } from "../../../lib/checks/environment/create-environment-context.ts";
import { environmentGate } from "../../../lib/checks/environment/environment-check.ts";
import { CODE_FLOW_CHECKS } from "../../../lib/checks/code-flow/checks.ts";
import { generateKeyPairSync } from "node:crypto";

const AUTHORIZE = "https://auth.sandpit.example.invalid/authorize";

/** Wait (bounded) until a printed line is an https URL, and return it. */
async function printedUrl(lines: string[]): Promise<URL> {
  for (let i = 0; i < 200; i++) {
    const line = lines.find((l) => l.startsWith("https://"));
    if (line) return new URL(line);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no URL printed: ${lines.join(" | ")}`);
}

describe("assisted sign-in", () => {
  it("prints the authorize URL, waits for the browser at the redirect URI, answers it and returns the redirect", async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const lines: string[] = [];
    const assisted = createAssistedSignIn({
      redirectUri,
      timeoutMs: 10_000,
      print: (l) => lines.push(l),
      ci: false,
      authorizationEndpoint: async () => AUTHORIZE,
    });
    expect(assisted.unavailable).toEqual({});
    const state = "st.a+b/c=d~";
    const pending = assisted.signIn({
      response_type: "code",
      client_id: "harness",
      redirect_uri: redirectUri,
      scope: "openid profile",
      state,
      nonce: "n",
      vtr: '["P9.Cp.Cd"]',
    });

    // The person opens the printed URL...
    const url = await printedUrl(lines);
    expect(`${url.origin}${url.pathname}`).toBe(AUTHORIZE);
    expect(url.searchParams.get("state")).toBe(state);
    expect(url.searchParams.get("vtr")).toBe('["P9.Cp.Cd"]');
    expect(url.searchParams.get("redirect_uri")).toBe(redirectUri);
    expect(lines.join("\n")).toMatch(/within 10 s/);

    // ...the browser asks for something else first (ignored), then arrives with the code.
    expect((await fetch(`http://127.0.0.1:${port}/favicon.ico`)).status).toBe(404);
    const back = new URL(redirectUri);
    back.searchParams.set("code", "abc");
    back.searchParams.set("state", url.searchParams.get("state")!);
    const page = await fetch(back);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/close this tab/);

    const redirect = await pending;
    expect(redirect.searchParams.get("code")).toBe("abc");
    expect(redirect.searchParams.get("state")).toBe(state);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(redirectUri);
    // It stopped listening.
    await expect(fetch(back)).rejects.toThrow();
  });

  it("returns an error redirect as it came", async () => {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/cb`;
    const lines: string[] = [];
    const assisted = createAssistedSignIn({
      redirectUri,
      timeoutMs: 10_000,
      print: (l) => lines.push(l),
      ci: false,
      authorizationEndpoint: AUTHORIZE,
    });
    const pending = assisted.signIn({ state: "s" });
    await printedUrl(lines);
    await fetch(`http://127.0.0.1:${port}/cb?error=access_denied&state=s`);
    const redirect = await pending;
    expect(redirect.searchParams.get("error")).toBe("access_denied");
    expect(redirect.origin).toBe(`http://localhost:${port}`);
  });

  it("gives up after the timeout with a clear error, and frees the port", async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const assisted = createAssistedSignIn({ redirectUri, timeoutMs: 200, print: () => {}, ci: false, authorizationEndpoint: AUTHORIZE });
    await expect(assisted.signIn({ state: "s" })).rejects.toThrow(/no sign-in within 0.2 s/);
    // The next sign-in can listen on the same port again.
    const again = assisted.signIn({ state: "t" });
    await expect(again).rejects.toThrow(/no sign-in within/);
  });

  it("a check needing a sign-in is inconclusive with the timeout reason (nobody signed in: nothing observed)", async () => {
    const port = await freePort();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const assisted = createAssistedSignIn({ redirectUri, timeoutMs: 150, print: () => {}, ci: false, authorizationEndpoint: AUTHORIZE });
    const env = createEnvironmentContext({
      issuer: "https://auth.sandpit.example.invalid",
      simulator: false,
      harness: { clientId: "h", privateKey, redirectUri },
      signIn: assisted.signIn,
      unavailable: assisted.unavailable,
    });
    const check = CODE_FLOW_CHECKS.find((c) => c.ids.includes("FED-ARESP-01"))!;
    const findings = await runCheck(check, env, environmentGate);
    expect(findings.map((f) => f.status)).toEqual(check.ids.map(() => "inconclusive"));
    expect(findings[0]!.message).toMatch(/could not complete: .*no sign-in within 0.15 s/);
    await env.http.close();
  });

  it("under CI never waits: code-flow is unavailable, so checks skip", async () => {
    const lines: string[] = [];
    const assisted = createAssistedSignIn({
      redirectUri: "http://127.0.0.1:8765/callback",
      timeoutMs: 60_000,
      print: (l) => lines.push(l),
      ci: true,
      authorizationEndpoint: AUTHORIZE,
    });
    expect(assisted.unavailable).toEqual({ "code-flow": CI_REASON });
    await expect(assisted.signIn({})).rejects.toThrow(CI_REASON);
    expect(lines).toEqual([]);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const env = createEnvironmentContext({
      issuer: "https://auth.sandpit.example.invalid",
      simulator: false,
      harness: { clientId: "h", privateKey, redirectUri: "http://127.0.0.1:8765/callback" },
      signIn: assisted.signIn,
      unavailable: assisted.unavailable,
    });
    for (const c of CODE_FLOW_CHECKS.filter((x) => x.needs?.includes("code-flow"))) {
      const findings = await runCheck(c, env, environmentGate);
      // The reason is CI's (a check needing more than a sign-in also says what else is missing; a
      // check with manual instructions says so first).
      const reason = c.manual ? `manual check: ${CI_REASON}` : CI_REASON;
      expect(
        findings.every((f) => f.status === "skipped" && f.message.startsWith(reason)),
        c.key,
      ).toBe(true);
    }
    await env.http.close();
  });

  it("refuses redirect URIs it cannot listen on", () => {
    expect(redirectUriProblem("http://127.0.0.1:8765/callback")).toBeUndefined();
    expect(redirectUriProblem("http://localhost:8765/callback")).toBeUndefined();
    expect(redirectUriProblem("https://127.0.0.1:8765/callback")).toMatch(/plain http/);
    expect(redirectUriProblem("http://[::1]:8765/callback")).toMatch(/127\.0\.0\.1 only/);
    expect(redirectUriProblem("http://svc.example/callback")).toMatch(/127\.0\.0\.1 only/);
    const a = createAssistedSignIn({
      redirectUri: "https://svc.example/cb",
      timeoutMs: 1000,
      print: () => {},
      ci: false,
      authorizationEndpoint: AUTHORIZE,
    });
    expect(a.unavailable["code-flow"]).toMatch(/plain http/);
  });
});
