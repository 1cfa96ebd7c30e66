/**
 * The chromium driver against a small local site: every hop recorded (each redirect, and the
 * page scripts' requests with their bodies), stopBefore and rewrite through the DevTools
 * protocol (redirects included), clicking the sign-in control, what scripts can read, cookies
 * of an isolated origin kept apart, and a fork without a cookie.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type Chromium } from "../../lib/driver/chromium-browser.ts";
import type { Exchange } from "../../lib/http/exchange.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && process.env.CI) throw new Error(`the chromium driver needs chromium at ${CHROMIUM} (apt-get install chromium)`);

let site: Server;
let other: Server;
let base = "";
let otherBase = "";
let chromium: Chromium;
const seen: string[] = [];

const html = (body: string) => `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  site = createServer((req, res) => {
    seen.push(req.url ?? "");
    const url = new URL(req.url ?? "/", base);
    if (url.pathname === "/a") return res.writeHead(302, { location: "/b", "set-cookie": "sid=s1; Path=/; HttpOnly" }).end();
    if (url.pathname === "/b") return res.writeHead(302, { location: "/c?x=1" }).end();
    if (url.pathname === "/api") return res.writeHead(200, { "content-type": "application/json" }).end('{"hello":"script"}');
    if (url.pathname === "/missing") {
      // Sent in chunks, as a streamed answer is.
      res.writeHead(404, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.write('{"error":');
      return res.end('"not found"}');
    }
    if (url.pathname === "/unread")
      return res.writeHead(200, { "content-type": "text/html" }).end(
        html(`<p id="p">unread</p><script>(async () => {
          await fetch("/missing").then((r) => (r.ok ? r.json() : undefined));
          await fetch("${otherBase}/token", { method: "POST", body: new URLSearchParams({ code: "c" }) }).catch(() => undefined);
          document.getElementById("p").textContent = await fetch("/api").then((r) => r.text());
        })()</script>`),
      );
    if (url.pathname === "/start")
      return res.writeHead(200, { "content-type": "text/html", "set-cookie": "pref=1; Path=/" }).end(
        html(`<button id="go">Sign in</button><script>
          document.getElementById("go").onclick = () => location.assign("/a");
          localStorage.setItem("k", "v");
        </script>`),
      );
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(
        html(
          `<p id="p">at ${url.pathname}${url.search}</p><script>fetch("/api").then((r) => r.text())` +
            `.then((t) => (document.getElementById("p").textContent += " " + t))</script>`,
        ),
      );
  });
  other = createServer((_req, res) =>
    res.writeHead(200, { "content-type": "text/html", "set-cookie": "sso=1; Path=/" }).end(html("other")),
  );
  await Promise.all([site, other].map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", r))));
  base = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  otherBase = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
  chromium = await launchChromium({ executablePath: CHROMIUM, timeoutMs: 10_000 });
}, 30_000);

afterAll(async () => {
  if (!HAVE_CHROMIUM) return;
  await chromium.close();
  await Promise.all([site, other].map((s) => new Promise((r) => s.close(r))));
});

describe.skipIf(!HAVE_CHROMIUM)("the chromium driver", () => {
  it("records each redirect and the page script's request, and the final hop is the rendered page", async () => {
    const exchanges: Exchange[] = [];
    const b = chromium.newBrowser({ onExchange: (x) => exchanges.push(x) });
    try {
      const nav = await b.navigate(`${base}/a`);
      expect(nav.hops.map((h) => `${h.method} ${h.status} ${new URL(h.url).pathname}${h.script ? " (script)" : ""}`)).toEqual([
        "GET 302 /a",
        "GET 302 /b",
        "GET 200 /c",
        "GET 200 /api (script)",
      ]);
      expect(nav.hops[0]?.location).toBe(`${base}/b`);
      expect(nav.hops[0]?.setCookies).toEqual(["sid=s1; Path=/; HttpOnly"]);
      expect(nav.hops[3]?.body).toBe('{"hello":"script"}');
      expect(nav.final?.url).toBe(`${base}/c?x=1`);
      expect(nav.final?.body).toContain('at /c?x=1 {"hello":"script"}');
      // The same hops as exchanges, for the reports.
      expect(exchanges.map((x) => `${x.request.method} ${x.response?.status} ${new URL(x.request.url).pathname}`)).toEqual([
        "GET 302 /a",
        "GET 302 /b",
        "GET 200 /c",
        "GET 200 /api",
      ]);
      expect(exchanges[0]?.response?.headers["set-cookie"]).toBe("sid=s1; Path=/; HttpOnly");
      expect(exchanges[3]?.response?.body).toBe('{"hello":"script"}');
    } finally {
      await b.close();
    }
  });

  it("records a script's answer whose body the page never reads, and one CORS refused, without waiting on either", async () => {
    const b = chromium.newBrowser();
    try {
      const started = Date.now();
      // A rewriting navigation, as a sign-in's: the page's requests then run while redirects are steered.
      const nav = await b.navigate(`${base}/unread`, { rewrite: (u) => u });
      expect(Date.now() - started).toBeLessThan(8_000);
      const scripted = nav.hops.filter((h) => h.script).map((h) => [h.method, new URL(h.url).pathname, h.status, h.failure ?? ""]);
      expect(scripted).toEqual([
        ["GET", "/missing", 404, ""],
        ["POST", "/token", 0, expect.stringMatching(/^net::ERR_FAILED$/)],
        ["GET", "/api", 200, ""],
      ]);
      expect(nav.final?.body).toContain('<p id="p">{"hello":"script"}</p>');
      // The 404's second chunk never loads, as the page never reads it: its body is marked unread, not waited for.
      expect(nav.hops.filter((h) => h.bodyUnread).map((h) => new URL(h.url).pathname)).toEqual(["/missing"]);
    } finally {
      await b.close();
    }
  });

  it("stops before a URL, and rewrites where a redirect leads, redirects included", async () => {
    const b = chromium.newBrowser();
    try {
      const stopped = await b.navigate(`${base}/a`, { stopBefore: (u) => u.pathname === "/c" });
      expect(stopped.stoppedBefore?.pathname).toBe("/c");
      expect(stopped.hops.map((h) => new URL(h.url).pathname)).toEqual(["/a", "/b"]);
      seen.length = 0;
      const rewritten = await b.navigate(`${base}/a`, { rewrite: (u) => (u.pathname === "/c" ? new URL(`${base}/c?x=changed`) : u) });
      expect(seen).toContain("/c?x=changed");
      expect(seen).not.toContain("/c?x=1");
      // Rewritten where the redirect is, so the page itself is at the rewritten URL (a script reading it sees it too).
      expect(rewritten.hops[1]?.location).toBe(`${base}/c?x=changed`);
      expect(rewritten.final?.url).toBe(`${base}/c?x=changed`);
      expect(rewritten.final?.body).toContain("at /c?x=changed");
    } finally {
      await b.close();
    }
  });

  it("clicks the sign-in control, and tells what scripts can read", async () => {
    const b = chromium.newBrowser();
    try {
      await b.navigate(`${base}/start`);
      const clicked = await b.clickSignIn?.({});
      expect(clicked?.clicked).toBe('the first button named like sign in: "Sign in"');
      expect(clicked?.navigation.hops.map((h) => new URL(h.url).pathname)).toEqual(["/a", "/b", "/c", "/api"]);
      const state = await b.scriptState?.();
      expect(state).toMatchObject({ url: `${base}/c?x=1`, localStorage: { k: "v" }, cookies: "pref=1" });
      expect(state?.text).toContain("at /c?x=1");
    } finally {
      await b.close();
    }
  });

  it("runs browser steps, and names the step that cannot be done", async () => {
    const b = chromium.newBrowser();
    try {
      await b.navigate(`${base}/start`);
      const done = await b.clickSignIn?.({
        steps: { steps: [{ name: "go", actions: [{ click: { role: "button", name: "Sign in" } }, { "wait-for-url": "/c?x=1" }] }] },
      });
      expect(done?.clicked).toBe("the 1 browser step(s) of SERVICE_BROWSER_STEPS");
      expect(done?.navigation.final?.url).toBe(`${base}/c?x=1`);
      await b.navigate(`${base}/start`);
      const failing = b.clickSignIn?.({ steps: { steps: [{ name: "consent", timeoutMs: 300, actions: [{ click: { text: "Nope" } }] }] } });
      await expect(failing).rejects.toThrow(
        /^browser step 1 \(consent\) could not click the text "Nope" within 300 ms on http:\/\/127\.0\.0\.1:\d+\/start: /,
      );
    } finally {
      await b.close();
    }
  });

  it("keeps an isolated origin's cookies apart, and forks without a cookie", async () => {
    const b = chromium.newBrowser({ isolate: [otherBase] });
    try {
      await b.navigate(`${otherBase}/`);
      await b.navigate(`${base}/a`);
      expect((await b.cookies(base)).map((c) => c.key)).toEqual(["sid"]);
      const f = await b.fork({ without: (c) => c.key === "sid" });
      expect(await f.cookies(base)).toEqual([]);
      await f.close();
    } finally {
      await b.close();
    }
  });
});
