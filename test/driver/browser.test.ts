/**
 * The driver against a small loopback server: redirects hop by hop, cookies, bounds, forms,
 * host mapping, and the signed-in decision.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBrowser, findAutoSubmitForm, protectedUrlOracle, revisit, signIn } from "../../lib/driver/index.ts";

let server: Server;
let base: string;
const seen: { url: string; host?: string; cookie?: string; method?: string; body?: string }[] = [];

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url!, "http://x");
  seen.push({
    url: req.url!,
    ...(req.headers.host ? { host: req.headers.host } : {}),
    ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}),
    method: req.method!,
    body,
  });
  const go = (status: number, location: string, cookie?: string) => {
    res.writeHead(status, { location, ...(cookie ? { "set-cookie": cookie } : {}) }).end();
  };
  switch (url.pathname) {
    case "/start":
      return go(302, "/authorize?state=s1&client_id=c", "txn=t1; HttpOnly; SameSite=Lax; Path=/");
    case "/authorize":
      return go(302, `${base}/callback?code=abc&state=${url.searchParams.get("state")}`);
    case "/callback":
      if (req.headers.cookie?.includes("txn=t1") && url.searchParams.get("code") === "abc")
        return go(303, "/account", "sid=s1; HttpOnly; Path=/");
      res.writeHead(400, { "content-type": "text/html" }).end("<h1>no</h1>");
      return;
    case "/account":
      if (req.headers.cookie?.includes("sid=s1")) {
        res.writeHead(200, { "content-type": "text/html" }).end("<h1>account</h1>");
        return;
      }
      return go(302, "/start");
    case "/loop":
      return go(302, "/loop");
    case "/form":
      res
        .writeHead(200, { "content-type": "text/html" })
        .end(
          `<form method="post" action="/authorize-post"><input type="hidden" name="state" value="a&amp;b">` +
            `<input name="visible" value="x"></form>`,
        );
      return;
    case "/authorize-post":
      return go(302, `/done?got=${encodeURIComponent(body)}`);
    case "/keep":
      return go(307, "/done");
    default:
      res.writeHead(200, { "content-type": "text/html" }).end("<p>done</p>");
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => handle(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("browser", () => {
  it("follows redirects one hop at a time, records each, and keeps cookies", async () => {
    const b = createBrowser({ timeoutMs: 2000 });
    const nav = await b.navigate(`${base}/start`);
    expect(nav.hops.map((h) => `${h.status} ${new URL(h.url).pathname}`)).toEqual([
      "302 /start",
      "302 /authorize",
      "303 /callback",
      "200 /account",
    ]);
    expect(nav.hops[0]!.setCookies[0]).toMatch(/^txn=t1/);
    expect((await b.cookies(`${base}/account`)).map((c) => c.key).sort()).toEqual(["sid", "txn"]);
    await b.close();
  });

  it("stops before a URL when asked, and rewrites redirects when asked", async () => {
    const b = createBrowser();
    const stopped = await b.navigate(`${base}/start`, { stopBefore: (u) => u.pathname === "/authorize" });
    expect(stopped.stoppedBefore?.pathname).toBe("/authorize");
    expect(stopped.hops).toHaveLength(1);
    const rewritten = await b.navigate(`${base}/start`, {
      rewrite: (u) => (u.pathname === "/callback" ? new URL(`${base}/callback?error=x`) : u),
    });
    expect(rewritten.final?.status).toBe(400);
    await b.close();
  });

  it("bounds redirect loops and reports network failures without throwing", async () => {
    const b = createBrowser({ maxHops: 5, timeoutMs: 500 });
    const loop = await b.navigate(`${base}/loop`);
    expect(loop.hops).toHaveLength(5);
    expect(loop.error).toMatch(/more than 5 redirects/);
    const dead = await b.navigate("http://127.0.0.1:1/");
    expect(dead.error).toBeDefined();
    expect(dead.final).toBeUndefined();
    await b.close();
  });

  it("submits an auto-submitting POST form when allowed, keeps POST on 307", async () => {
    const b = createBrowser();
    const nav = await b.navigate(`${base}/form`, { submitForms: (a) => a.pathname === "/authorize-post" });
    expect(nav.hops.map((h) => h.method)).toEqual(["GET", "POST", "GET"]);
    expect(new URLSearchParams(new URL(nav.final!.url).searchParams.get("got")!).get("state")).toBe("a&b");
    const kept = await b.navigate(`${base}/keep`, { method: "POST", form: { a: "1" } });
    expect(kept.hops.map((h) => h.method)).toEqual(["POST", "POST"]);
    await b.close();
  });

  it("maps host names like curl --resolve, keeping the Host header and the cookie domain", async () => {
    const port = new URL(base).port;
    const b = createBrowser({ resolve: { "svc.example.test": "127.0.0.1" } });
    seen.length = 0;
    const nav = await b.navigate(`http://svc.example.test:${port}/done`);
    expect(nav.final?.status).toBe(200);
    expect(seen[0]?.host).toBe(`svc.example.test:${port}`);
    await b.close();
  });

  it("forks a browser without chosen cookies", async () => {
    const b = createBrowser();
    await b.navigate(`${base}/start`);
    const without = await b.fork({ without: (c) => c.key === "sid" });
    expect((await without.cookies(`${base}/account`)).map((c) => c.key)).toEqual(["txn"]);
    await without.close();
    await b.close();
  });
});

describe("isolated origins", () => {
  it("keeps a cookie of an isolated origin out of every other origin on the same host (cookies ignore ports)", async () => {
    const other = createServer((_req, res) => res.writeHead(200, { "set-cookie": "sso=1; Path=/" }).end("ok"));
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    const sim = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
    try {
      const shared = createBrowser();
      await shared.navigate(`${sim}/`);
      expect((await shared.cookies(base)).map((c) => c.key)).toEqual(["sso"]); // the leak a browser really has
      await shared.close();

      const b = createBrowser({ isolate: [sim] });
      await b.navigate(`${sim}/`);
      seen.length = 0;
      await b.navigate(`${base}/done`);
      expect(seen[0]?.cookie).toBeUndefined();
      expect(await b.cookies(base)).toEqual([]);
      expect((await b.cookies(`${sim}/`)).map((c) => c.key)).toEqual(["sso"]);
      const f = await b.fork();
      expect((await f.cookies(`${sim}/`)).map((c) => c.key)).toEqual(["sso"]);
      expect(await f.cookies(base)).toEqual([]);
      await f.close();
      await b.close();
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});

describe("sign-in journey", () => {
  it("captures the authorization request and callback, and decides signed in by the protected URL", async () => {
    const b = createBrowser();
    const oracle = protectedUrlOracle(`${base}/account`, `${base}/authorize`);
    const target = { startUrl: `${base}/start`, authorizationEndpoint: `${base}/authorize`, oracle };
    const j = await signIn(b, target);
    expect(j.authorization?.params).toEqual({ state: "s1", client_id: "c" });
    expect(new URL(j.callback!.url).pathname).toBe("/callback");
    expect(j.signedIn).toBe(true);
    const fresh = createBrowser();
    const probe = await revisit(oracle, fresh);
    expect(probe.evidence).toBe("GET /account sent the browser to NHS login's /authorize");
    expect(probe.signedIn).toBe(false);
    expect(probe.sentToSignIn?.pathname).toBe("/authorize"); // stopped there: never signs in by itself
    await fresh.close();
    await b.close();
  });

  it("a tampered callback is not signed in", async () => {
    const b = createBrowser();
    const j = await signIn(
      b,
      {
        startUrl: `${base}/start`,
        authorizationEndpoint: `${base}/authorize`,
        oracle: protectedUrlOracle(`${base}/account`, `${base}/authorize`),
      },
      { rewriteCallback: (u) => new URL(`${u.origin}${u.pathname}?error=access_denied`) },
    );
    expect(j.callback?.status).toBe(400);
    expect(j.signedIn).toBe(false);
    await b.close();
  });
});

describe("auto-submit forms", () => {
  it("reads the first POST form and its hidden fields only", () => {
    const f = findAutoSubmitForm(
      `<form action='/a' method='POST'><input type=hidden name=x value="1&quot;2"><input type="text" name="y" value="n"></form>`,
      new URL("http://h/p"),
    );
    expect(f).toEqual({ action: new URL("http://h/a"), fields: { x: '1"2' } });
    expect(findAutoSubmitForm(`<form action="/a"><input type="hidden" name="x" value="1"></form>`, new URL("http://h/"))).toBeUndefined();
    expect(findAutoSubmitForm("<p>none</p>", new URL("http://h/"))).toBeUndefined();
  });
});
