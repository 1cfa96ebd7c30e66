/**
 * findSignOutEntry: which link or form of a signed-in page signs out, and how it is told.
 */
import { describe, expect, it } from "vitest";
import { readPage } from "../../lib/driver/html-page.ts";
import { findSignOutEntry } from "../../lib/driver/sign-out-entry.ts";

const base = new URL("http://127.0.0.1:8080/account");
const find = (html: string) => findSignOutEntry(readPage(html, base), base);

describe("findSignOutEntry", () => {
  it("finds a POST form by its button's words, with its fields", () => {
    expect(
      find(
        '<a href="/">Home</a><form method="post" action="/logout">' +
          '<input type="hidden" name="csrf" value="t"><button>Sign out</button></form>',
      ),
    ).toEqual({
      method: "POST",
      url: new URL("http://127.0.0.1:8080/logout"),
      form: { csrf: "t" },
      how: 'submitted the POST form (button "Sign out") to /logout',
    });
  });

  it("prefers a link saying so, in any of the usual spellings", () => {
    for (const text of ["Sign out", "sign-out", "Log out", "LOGOUT", "Log off", "signout"]) {
      expect(find(`<form method="post" action="/bye"><button>Sign out</button></form><a href="/x">${text}</a>`)?.how, text).toBe(
        `followed the link ${JSON.stringify(text)} to /x`,
      );
    }
  });

  it("falls back to a link or form whose path signs out, when no words say so", () => {
    expect(find('<a href="/help">Help</a><a href="/auth/logout">Bye</a>')?.how).toBe('followed the link "Bye" to /auth/logout');
    expect(find('<form method="get" action="/sign-out"><button>Leave</button></form>')).toEqual({
      method: "GET",
      url: new URL("http://127.0.0.1:8080/sign-out"),
      how: 'submitted the GET form (button "Leave") to /sign-out',
    });
  });

  it("ignores another origin's sign-out, words that only contain the phrase, and a page without one", () => {
    expect(find('<a href="http://127.0.0.1:9000/logout">Sign out of NHS login</a>')).toBeUndefined();
    expect(find('<a href="/a">Signouts report</a><a href="/b">Login</a><a href="/logout-help/faq">Help</a>')).toBeUndefined();
    expect(find("<p>Your account</p>")).toBeUndefined();
  });

  it("takes a control on any of the service's origins, but not a link back to the page itself", () => {
    const api = "http://127.0.0.1:8081";
    const page = readPage(`<a href="${api}/session/end">Sign out</a>`, base);
    expect(findSignOutEntry(page, base)).toBeUndefined();
    expect(findSignOutEntry(page, base, [base.origin, api])?.how).toBe('followed the link "Sign out" to /session/end');
    expect(find('<a href="/account">Sign out</a>')).toBeUndefined();
    expect(find('<form method="post" action="/account"><button>Sign out</button></form>')?.how).toBe(
      'submitted the POST form (button "Sign out") to /account',
    );
  });
});
