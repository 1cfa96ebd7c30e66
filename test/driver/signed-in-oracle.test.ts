/**
 * The signed-in oracles against a small loopback server: a protected URL that answers 2xx only
 * when signed in, and a marker in the text of the landing page or of a page revisited.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Browser, createBrowser, type Hop } from "../../lib/driver/browser.ts";
import { pageTextOracle, protectedUrlOracle } from "../../lib/driver/signed-in-oracle.ts";

let server: Server;
let base: string;
let authorize: string;
/** Paths (with query) the server was asked for, in order. */
const seen: string[] = [];

const MARKER = "Signed in as Jane";
const html = (res: ServerResponse, status: number, body: string): void => {
  res.writeHead(status, { "content-type": "text/html" }).end(body);
};

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push(req.url!);
  const go = (status: number, location: string): void => {
    res.writeHead(status, { location }).end();
  };
  switch (new URL(req.url!, "http://x").pathname) {
    case "/account":
      return html(res, 200, `<h1>Your account</h1><p>${MARKER}</p>`);
    case "/guarded":
      return go(302, `${base}/authorize?client_id=svc&state=s1`);
    case "/authorize":
      return html(res, 200, `<p>${MARKER}</p>`);
    case "/unauthorized":
      return html(res, 401, `<p>${MARKER}</p>`);
    case "/old":
      return go(301, "/older");
    case "/older":
      return go(302, "/account");
    case "/old-missing":
      return go(302, "/missing");
    case "/anonymous":
      return html(res, 200, "<h1>Welcome</h1><p>Sign in to continue</p>");
    case "/plain":
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(`status: ${MARKER}`);
      return;
    case "/json":
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: MARKER }));
      return;
    case "/forbidden":
      return html(res, 403, `<p>${MARKER}</p>`);
    default:
      return html(res, 404, "<p>Not found</p>");
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => handle(req, res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
  authorize = `${base}/authorize`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let browser: Browser;
beforeEach(() => {
  seen.length = 0;
  browser = createBrowser({ timeoutMs: 2000 });
});
afterEach(() => browser.close());

/** A port nothing listens on: one the system just gave a server that is closed again. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof a === "object" && a ? a.port : 1;
}

describe("protectedUrlOracle", () => {
  it("is signed in when the protected URL answers 200, whatever the landing page", async () => {
    const oracle = protectedUrlOracle(`${base}/account`, authorize);
    expect(oracle.describe).toBe("GET /account answers 2xx");
    const verdict = await oracle.judge(browser, undefined);
    expect(verdict.signedIn).toBe(true);
    expect(verdict.evidence).toBe("GET /account answered HTTP 200");
    expect(verdict.sentToSignIn).toBeUndefined();
    expect(verdict.navigation.hops.map((h) => `${h.status} ${new URL(h.url).pathname}`)).toEqual(["200 /account"]);
  });

  it("revisits the same way as it judges", async () => {
    const verdict = await protectedUrlOracle(`${base}/account`, authorize).revisit!(browser);
    expect(verdict).toMatchObject({ signedIn: true, evidence: "GET /account answered HTTP 200" });
  });

  it("is not signed in when sent to the authorization endpoint, and never requests it", async () => {
    const verdict = await protectedUrlOracle(`${base}/guarded`, authorize).judge(browser, undefined);
    expect(verdict.signedIn).toBe(false);
    expect(verdict.evidence).toBe("GET /guarded sent the browser to NHS login's /authorize");
    expect(verdict.sentToSignIn?.href).toBe(`${base}/authorize?client_id=svc&state=s1`);
    expect(verdict.navigation.hops.map((h) => h.status)).toEqual([302]);
    expect(seen).toEqual(["/guarded"]);
  });

  it.each([
    ["/unauthorized", 401],
    ["/missing", 404],
  ])("is not signed in when %s answers HTTP %i", async (path, status) => {
    const verdict = await protectedUrlOracle(`${base}${path}`, authorize).judge(browser, undefined);
    expect(verdict.signedIn).toBe(false);
    expect(verdict.evidence).toBe(`GET ${path} answered HTTP ${status}`);
    expect(verdict.sentToSignIn).toBeUndefined();
  });

  it("names the redirects it followed and where it ended", async () => {
    const ok = await protectedUrlOracle(`${base}/old`, authorize).judge(browser, undefined);
    expect(ok.signedIn).toBe(true);
    expect(ok.evidence).toBe("GET /old answered HTTP 200 (after 2 redirect(s), at /account)");
    const missing = await protectedUrlOracle(`${base}/old-missing`, authorize).judge(browser, undefined);
    expect(missing.signedIn).toBe(false);
    expect(missing.evidence).toBe("GET /old-missing answered HTTP 404 (after 1 redirect(s), at /missing)");
  });

  it("is not signed in when the protected URL does not answer, and says why", async () => {
    const port = await closedPort();
    const verdict = await protectedUrlOracle(`http://127.0.0.1:${port}/account`, authorize).judge(browser, undefined);
    expect(verdict.signedIn).toBe(false);
    expect(verdict.evidence).toMatch(
      new RegExp(`^GET /account did not answer: GET http://127\\.0\\.0\\.1:${port}/account: .*connection refused$`),
    );
    expect(verdict.navigation.hops).toEqual([]);
  });
});

const hop = (h: Partial<Hop> & Pick<Hop, "url">): Hop => ({
  method: "GET",
  status: 200,
  setCookies: [],
  body: "",
  contentType: "text/html",
  ...h,
});

const describeMarker = `the text ${JSON.stringify(MARKER)}`;
const findMarker = (text: string) => (text.includes(MARKER) ? describeMarker : undefined);
const textOracle = (revisitUrl?: string) =>
  pageTextOracle(describeMarker, findMarker, { authorizationEndpoint: authorize, ...(revisitUrl ? { revisitUrl } : {}) });

describe("pageTextOracle on the landing page", () => {
  it("is signed in when the landing page shows the marker, without any request", async () => {
    const landing = hop({ url: `${base}/x?code=1`, body: `<main><p>Hello</p><p>${MARKER}</p></main>` });
    const verdict = await textOracle(`${base}/anonymous`).judge(browser, landing);
    expect(verdict).toEqual({ signedIn: true, evidence: `the page at /x shows ${describeMarker}`, navigation: { hops: [] } });
    expect(seen).toEqual([]);
  });

  it("reads the visible text only, not the markup or scripts", async () => {
    const landing = hop({ url: `${base}/x`, body: `<p data-x="${MARKER}">Hi</p><script>"${MARKER}"</script>` });
    const verdict = await textOracle().judge(browser, landing);
    expect(verdict.signedIn).toBe(false);
    expect(verdict.evidence).toBe(`the page at /x (HTTP 200) does not show ${describeMarker}`);
  });

  it("is not signed in when there is no marker and no page to revisit", async () => {
    const oracle = textOracle();
    expect(oracle.describe).toBe(describeMarker);
    expect(oracle.revisit).toBeUndefined();
    const verdict = await oracle.judge(browser, hop({ url: `${base}/x`, body: "<p>Welcome</p>" }));
    expect(verdict).toEqual({
      signedIn: false,
      evidence: `the page at /x (HTTP 200) does not show ${describeMarker}`,
      navigation: { hops: [] },
    });
    expect(seen).toEqual([]);
  });

  it("is not signed in without a landing page", async () => {
    expect((await textOracle().judge(browser, undefined)).evidence).toBe(`no page to look for ${describeMarker} on`);
  });

  it.each([403, 404, 500])("never counts a landing page answering HTTP %i, even with the marker", async (status) => {
    const verdict = await textOracle().judge(browser, hop({ url: `${base}/x`, status, body: `<p>${MARKER}</p>` }));
    expect(verdict.signedIn).toBe(false);
    expect(verdict.evidence).toBe(`the page at /x (HTTP ${status}) does not show ${describeMarker}`);
  });

  it("reads a text/plain body, and no other content type", async () => {
    const plain = await textOracle().judge(browser, hop({ url: `${base}/t`, contentType: "text/plain; charset=utf-8", body: MARKER }));
    expect(plain.signedIn).toBe(true);
    expect(plain.evidence).toBe(`the page at /t shows ${describeMarker}`);
    for (const contentType of ["application/json", "text/csv", undefined]) {
      const landing = hop({ url: `${base}/j`, body: JSON.stringify({ status: MARKER }) });
      if (contentType) landing.contentType = contentType;
      else delete landing.contentType;
      const verdict = await textOracle().judge(browser, landing);
      expect(verdict.signedIn, String(contentType)).toBe(false);
      expect(verdict.evidence).toBe(`the page at /j (HTTP 200) does not show ${describeMarker}`);
    }
  });
});

describe("pageTextOracle revisiting a page", () => {
  it("fetches the page when the landing page lacks the marker, and is signed in when it shows it", async () => {
    const verdict = await textOracle(`${base}/account`).judge(browser, hop({ url: `${base}/x`, body: "<p>Done</p>" }));
    expect(verdict.signedIn).toBe(true);
    expect(verdict.evidence).toBe(`GET /account shows ${describeMarker}`);
    expect(verdict.navigation.hops.map((h) => h.status)).toEqual([200]);
    expect(seen).toEqual(["/account"]);
  });

  it("revisits on its own, through redirects", async () => {
    const verdict = await textOracle(`${base}/old`).revisit!(browser);
    expect(verdict.signedIn).toBe(true);
    expect(verdict.evidence).toBe(`GET /old shows ${describeMarker}`);
    expect(seen).toEqual(["/old", "/older", "/account"]);
  });

  it("is not signed in when the page answers without the marker", async () => {
    const verdict = await textOracle(`${base}/anonymous`).judge(browser, undefined);
    expect(verdict.signedIn).toBe(false);
    expect(verdict.evidence).toBe(`GET /anonymous answered HTTP 200 without ${describeMarker}`);
  });

  it("never counts a revisited page answering 4xx, even with the marker", async () => {
    const verdict = await textOracle(`${base}/forbidden`).revisit!(browser);
    expect(verdict.signedIn).toBe(false);
    expect(verdict.evidence).toBe(`GET /forbidden answered HTTP 403 without ${describeMarker}`);
  });

  it("reads a revisited text/plain page but not a JSON one", async () => {
    expect((await textOracle(`${base}/plain`).revisit!(browser)).evidence).toBe(`GET /plain shows ${describeMarker}`);
    const json = await textOracle(`${base}/json`).revisit!(browser);
    expect(json.signedIn).toBe(false);
    expect(json.evidence).toBe(`GET /json answered HTTP 200 without ${describeMarker}`);
  });

  it("is not signed in when the page sends the browser to sign in, and never requests the endpoint", async () => {
    const verdict = await textOracle(`${base}/guarded`).judge(browser, hop({ url: `${base}/x`, body: "<p>Done</p>" }));
    expect(verdict.signedIn).toBe(false);
    expect(verdict.evidence).toBe("GET /guarded sent the browser to NHS login's /authorize");
    expect(verdict.sentToSignIn?.pathname).toBe("/authorize");
    expect(seen).toEqual(["/guarded"]);
  });

  it("is not signed in when the page does not answer", async () => {
    const port = await closedPort();
    const verdict = await textOracle(`http://127.0.0.1:${port}/account`).revisit!(browser);
    expect(verdict.signedIn).toBe(false);
    expect(verdict.evidence).toMatch(/^GET \/account did not answer: GET http:\/\/127\.0\.0\.1:\d+\/account: .*connection refused$/);
    expect(verdict.sentToSignIn).toBeUndefined();
  });
});
