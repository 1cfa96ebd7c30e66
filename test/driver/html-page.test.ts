/**
 * readPage: the title, the visible text, the links and the forms of an HTML page, resolved against
 * its URL, and the links and forms a CSS selector picks out.
 */
import { describe, expect, it } from "vitest";
import { readPage } from "../../lib/driver/html-page.ts";

const base = new URL("http://127.0.0.1:8080/app/start?from=home");

const hrefs = (html: string) => readPage(html, base).links.map((l) => [l.text, l.url.href]);

describe("readPage title and text", () => {
  it("reads the first title, whitespace collapsed", () => {
    const page = readPage("<html><head><title>\n  My   Service </title></head><body><svg><title>icon</title></svg></body></html>", base);
    expect(page.title).toBe("My Service");
  });

  it("has no title when there is none or it is blank", () => {
    expect(readPage("<p>no title</p>", base).title).toBeUndefined();
    expect(readPage("<title>   </title><p>x</p>", base).title).toBeUndefined();
    expect(Object.hasOwn(readPage("<p>x</p>", base), "title")).toBe(false);
  });

  it("keeps the text a user reads and leaves out scripts, styles, noscript and templates", () => {
    const page = readPage(
      `<html><head><title>T</title><style>.x { color: red }</style><script>var inHead = 1</script></head>` +
        `<body>\n  <p>Signed   in\n as   Jane</p><script>var secret = "no"</script><style>p{}</style>` +
        `<noscript>Enable JavaScript</noscript><template><p>later</p></template></body></html>`,
      base,
    );
    expect(page.text).toBe("Signed in as Jane");
  });

  it("keeps the texts of block elements apart, as a browser shows them", () => {
    const page = readPage("<h1>Welcome</h1><p>Signed in as Jane</p><ul><li>Account</li><li>Sign out</li></ul><p>a<br>b</p>", base);
    expect(page.text).toBe("Welcome Signed in as Jane Account Sign out a b");
    expect(/\bsign out\b/i.test(page.text)).toBe(true);
  });

  it("keeps inline elements together", () => {
    expect(readPage("<p>Sign<b>ed</b> in as <span>Jane</span></p>", base).text).toBe("Signed in as Jane");
  });

  it("reads a fragment without html or body", () => {
    const page = readPage("just some text", base);
    expect(page).toMatchObject({ text: "just some text", links: [], forms: [] });
  });
});

describe("readPage links", () => {
  it("resolves relative, root-relative and absolute links against the page URL", () => {
    expect(
      hrefs(
        `<a href="login">Relative</a><a href="/auth/login?x=1">Root</a><a href="?page=2">Query</a>` +
          `<a href="https://auth.example.test/authorize">Absolute</a><a href="//cdn.example.test/x">Scheme-relative</a>`,
      ),
    ).toEqual([
      ["Relative", "http://127.0.0.1:8080/app/login"],
      ["Root", "http://127.0.0.1:8080/auth/login?x=1"],
      ["Query", "http://127.0.0.1:8080/app/start?page=2"],
      ["Absolute", "https://auth.example.test/authorize"],
      ["Scheme-relative", "http://cdn.example.test/x"],
    ]);
  });

  it("drops javascript:, mailto:, tel: and unparsable links, and anchors without href", () => {
    expect(
      hrefs(
        `<a href="javascript:signIn()">JS</a><a href="mailto:help@example.test">Mail</a><a href="tel:111">Call</a>` +
          `<a href="http://[::bad">Bad</a><a name="top">No href</a><a href="/ok">OK</a>`,
      ),
    ).toEqual([["OK", "http://127.0.0.1:8080/ok"]]);
  });

  it("collapses the link text, nested markup included", () => {
    expect(hrefs(`<a href="/login">\n  <span>Continue</span>\n  to <strong>NHS   login</strong>\n</a><a href="/empty"></a>`)).toEqual([
      ["Continue to NHS login", "http://127.0.0.1:8080/login"],
      ["", "http://127.0.0.1:8080/empty"],
    ]);
  });
});

describe("readPage forms", () => {
  it("defaults to GET at the page URL, and reads POST in any case with its action resolved", () => {
    const [get, post] = readPage(`<form><input name="q" value="x"></form><form method="PoSt" action="../signin"></form>`, base).forms;
    expect(get?.method).toBe("GET");
    expect(get?.action.href).toBe("http://127.0.0.1:8080/app/start?from=home");
    expect(post?.method).toBe("POST");
    expect(post?.action.href).toBe("http://127.0.0.1:8080/signin");
  });

  it("takes a method other than post as GET", () => {
    expect(readPage(`<form method="dialog" action="/x"></form>`, base).forms[0]?.method).toBe("GET");
  });

  it("reads hidden, text and textarea fields, and checked checkboxes and radios only", () => {
    const [form] = readPage(
      `<form method="post" action="/login">` +
        `<input type="hidden" name="csrf" value="t&amp;k"><input name="user" value="jane"><input type="TEXT" name="empty">` +
        `<textarea name="note">hello</textarea>` +
        `<input type="checkbox" name="remember" value="yes"><input type="checkbox" name="terms" value="agreed" checked>` +
        `<input type="checkbox" name="plain" checked>` +
        `<input type="radio" name="lang" value="en"><input type="radio" name="lang" value="cy" checked>` +
        `<input type="submit" name="go" value="Sign in"><input type="file" name="upload"><input value="no name">` +
        `</form>`,
      base,
    ).forms;
    expect(form?.fields).toEqual({ csrf: "t&k", user: "jane", empty: "", note: "hello", terms: "agreed", plain: "on", lang: "cy" });
    expect(Object.hasOwn(form!.fields, "remember")).toBe(false);
  });

  it("keeps the first value of a repeated name", () => {
    expect(readPage(`<form><input name="a" value="1"><input name="a" value="2"></form>`, base).forms[0]?.fields).toEqual({ a: "1" });
  });

  it("reads a select as its selected option, else its first, and an option without value as its text", () => {
    const [form] = readPage(
      `<form>` +
        `<select name="picked"><option value="en">English</option><option value="cy" selected>Cymraeg</option></select>` +
        `<select name="first"><option value="a">A</option><option value="b">B</option></select>` +
        `<select name="text"><option selected>\n  Plain   text </option></select>` +
        `</form>`,
      base,
    ).forms;
    expect(form?.fields).toEqual({ picked: "cy", first: "a", text: "Plain text" });
  });

  it("lists the text of its submit buttons, not of plain or reset buttons", () => {
    const [form] = readPage(
      `<form action="/x"><button> Continue   to NHS login </button><input type="submit" value="Go">` +
        `<button type="submit">Submit</button><button type="button">Show password</button><button type="reset">Clear</button></form>`,
      base,
    ).forms;
    expect(form?.buttons).toEqual(["Continue to NHS login", "Go", "Submit"]);
  });

  it("leaves out a form whose action cannot be parsed", () => {
    expect(readPage(`<form action="http://[::bad"></form><form action="/ok"></form>`, base).forms.map((f) => f.action.href)).toEqual([
      "http://127.0.0.1:8080/ok",
    ]);
  });
});

describe("readPage select", () => {
  const page = readPage(
    `<nav><a id="home" href="/">Home</a><a class="login" href="/login"><span class="label">Sign in</span></a></nav>` +
      `<form id="nhs" method="post" action="/auth/nhs"><input type="hidden" name="t" value="1"><button id="go">Continue</button></form>`,
    base,
  );

  it("gives the link around an element the selector matches", () => {
    const found = page.select(".label");
    expect(found?.links.map((l) => [l.text, l.url.pathname])).toEqual([["Sign in", "/login"]]);
    expect(found?.forms).toEqual([]);
  });

  it("gives a link the selector matches itself", () => {
    expect(page.select("a#home")?.links.map((l) => l.url.pathname)).toEqual(["/"]);
  });

  it("gives the form around a button the selector matches", () => {
    const found = page.select("#go");
    expect(found?.links).toEqual([]);
    expect(found?.forms.map((f) => ({ method: f.method, action: f.action.pathname, fields: f.fields, buttons: f.buttons }))).toEqual([
      { method: "POST", action: "/auth/nhs", fields: { t: "1" }, buttons: ["Continue"] },
    ]);
  });

  it("gives nothing for a valid selector that matches nothing, or matches outside links and forms", () => {
    expect(page.select(".absent")).toEqual({ links: [], forms: [] });
    expect(page.select("nav")).toEqual({ links: [], forms: [] });
  });

  it("is undefined for an invalid selector", () => {
    expect(page.select("[[[")).toBeUndefined();
    expect(page.select("a[href=")).toBeUndefined();
  });
});
