/**
 * nhsNumberShownFindings (NHSNO-03) on crafted pages: the NHS number shown as sent, grouped or
 * not, passes; the nine digits left after a numeric round trip fail, in a page or in an answer to
 * the page's script; nothing shown is inconclusive.
 */
import { describe, expect, it } from "vitest";
import type { SignInJourney } from "../../../lib/driver/index.ts";
import { nhsNumberShownFindings } from "../../../lib/checks/service/nhs-number-shown.ts";

const SVC = "http://127.0.0.1:1";
const NHS = "0123456789";
const callback = { method: "GET" as const, url: `${SVC}/callback?code=c`, status: 303, setCookies: [], body: "" };
const journey = { navigation: { hops: [callback] }, callback } as unknown as SignInJourney;
const page = (body: string, path = "/account") => ({ url: `${SVC}${path}`, body: `<main>${body}</main>`, script: false });
const said = (shown: { url: string; body: string; script: boolean }[], j = journey) =>
  nhsNumberShownFindings({ journey: j, shown }, NHS).map((f) => `${f.status}: ${f.message}`);

describe("nhsNumberShownFindings", () => {
  it("passes the number as sent, grouped by spaces or hyphens or not at all, naming where", () => {
    for (const shown of ["0123456789", "012 345 6789", "012-345-6789"])
      expect(said([page(`<p>NHS number: ${shown}</p>`)]), shown).toEqual([
        "passed: the page at /account show(s) the NHS number 0123456789 as sent, leading zero kept",
      ]);
    expect(said([page("<p>0123456789</p>", "/a"), { url: `${SVC}/api/me`, body: '{"nhsNumber":"0123456789"}', script: true }])).toEqual([
      "passed: the page at /a and the answer to the page's script from /api/me " +
        "show(s) the NHS number 0123456789 as sent, leading zero kept",
    ]);
  });

  it("fails the nine digits left by a numeric round trip, in a page or a script's answer, with the evidence", () => {
    const f = nhsNumberShownFindings({ journey, shown: [page("<p>NHS number: 123 456 789</p>")] }, NHS);
    expect(f).toEqual([
      {
        requirement: "NHSNO-03",
        status: "failed",
        message:
          "the page at /account shows 123456789 where NHS login sent the NHS number 0123456789: " +
          "the leading zero was lost, so the number went through a numeric type",
        evidence: { expected: NHS, actual: "123456789" },
      },
    ]);
    expect(said([page("<p>0123456789</p>"), { url: `${SVC}/api/me`, body: '{"nhsNumber":123456789}', script: true }])[0]).toMatch(
      /^failed: the answer to the page's script from \/api\/me shows 123456789 where/,
    );
  });

  it("does not take other digits for the number: longer runs, phone numbers, markup", () => {
    expect(said([page("<p>Ref 91234567890, call +44 7700 900109</p><!-- 123456789 --><script>x=123456789</script>")])).toEqual([
      "inconclusive: neither 0123456789 nor 123456789 appeared in the 1 page(s) and answer(s) of the service after sign-in, " +
        "so whether it keeps the NHS number as a string was not seen",
    ]);
    expect(said([page("<p>0 123 456 789</p>")])[0]).toMatch(/^passed: /);
  });

  it("reads the values of form fields, where a page may hold the number", () => {
    expect(
      said([page('<form method="post" action="/update"><input name="nhs" value="123456789"><button>Save</button></form>')])[0],
    ).toMatch(/^failed: the page at \/account shows 123456789 where/);
    expect(said([page('<form method="post" action="/update"><input name="nhs" value="0123456789"></form>')])[0]).toMatch(/^passed: /);
  });

  it("is inconclusive when no sign-in reached the service, with the reason", () => {
    expect(said([], { navigation: { hops: [] }, notReached: "the start page has no sign-in link" } as unknown as SignInJourney)).toEqual([
      "inconclusive: no sign-in as the person with NHS number 0123456789 reached the service's redirect URI, " +
        "so nothing it showed could be judged (the start page has no sign-in link)",
    ]);
  });
});
