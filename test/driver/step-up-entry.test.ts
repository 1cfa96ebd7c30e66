/**
 * findStepUpEntry: the control of a page that starts the verification step-up.
 */
import { describe, expect, it } from "vitest";
import { readPage } from "../../lib/driver/html-page.ts";
import { findStepUpEntry } from "../../lib/driver/step-up-entry.ts";

const base = new URL("http://127.0.0.1:8080/records");
const find = (html: string) => findStepUpEntry(readPage(html, base), { authorizationEndpoint: "http://127.0.0.1:9000/authorize" });

describe("findStepUpEntry", () => {
  it("takes a sign-in control first: a link to NHS login, or one saying NHS login", () => {
    expect(find('<a href="/help">Verify later</a><a href="http://127.0.0.1:9000/authorize?x=1">Go</a>')?.how).toBe(
      'followed the link "Go" to /authorize?x=1',
    );
    expect(find('<a href="/login?level=p9">Continue with NHS login</a>')?.url.href).toBe("http://127.0.0.1:8080/login?level=p9");
  });

  it("else a link or button saying verify, step up, or prove or confirm your identity", () => {
    for (const text of ["Verify your identity", "Step up", "Prove your identity", "Confirm your identity"])
      expect(find(`<a href="/uplift">${text}</a>`)?.how, text).toBe(`followed the link ${JSON.stringify(text)} to /uplift`);
    expect(find('<form method="post" action="/uplift"><input type="hidden" name="t" value="1"><button>Verify now</button></form>')).toEqual(
      {
        method: "POST",
        url: new URL("http://127.0.0.1:8080/uplift"),
        form: { t: "1" },
        how: 'submitted the POST form (button "Verify now") to /uplift',
      },
    );
  });

  it("finds nothing on a page without such a control", () => {
    expect(find('<p>Your GP record</p><a href="/account">Your account</a><a href="/logout">Sign out</a>')).toBeUndefined();
  });
});
