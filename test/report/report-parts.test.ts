/**
 * The pieces of the reports: spec links, exchange attachments, HTML stripping, manual scenarios.
 */
import { describe, expect, it } from "vitest";
import { specLinks, DOCS_SITE } from "../../lib/report/spec-links.ts";
import { exchangeAttachments, exchangeStepName } from "../../lib/report/exchange-attachments.ts";
import { outsideReferences, stripThirdPartyScripts } from "../../lib/report/allure-html.ts";
import { MANUAL_SCENARIOS, manualScenario } from "../../lib/requirements/manual-scenarios.ts";
import { isRequirementId, REQUIREMENTS } from "../../lib/requirements/index.ts";
import { redactExchange, type Exchange } from "../../lib/http/index.ts";
import { SEVERITY } from "../../suites/_support/check.ts";

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const JWT = `${b64({ alg: "RS512", typ: "JWT" })}.${b64({ sub: "p9", jti: "j-1" })}.${"c2lnbmF0dXJl".repeat(8)}`;

describe("specLinks", () => {
  it("links docs pages and names PDF sections", () => {
    expect(specLinks("EIS §3.4.1 T1; docs:single-sign-on")).toEqual([
      { name: "EIS §3.4.1 T1", url: DOCS_SITE },
      { name: "docs:single-sign-on", url: "https://nhsconnect.github.io/nhslogin/single-sign-on" },
    ]);
    expect(specLinks('docs:testing-scenarios ("Vector of Trust check")')[0]!.url).toBe(
      "https://nhsconnect.github.io/nhslogin/testing-scenarios",
    );
    expect(specLinks("RFC 7523 via EIS §3.5.2")[0]!.url).toBe("https://www.rfc-editor.org/rfc/rfc7523");
  });

  it("gives every catalogue requirement at least one link, and every level a severity", () => {
    for (const r of REQUIREMENTS) {
      expect(specLinks(r.source).length, r.id).toBeGreaterThan(0);
      expect(SEVERITY[r.level], r.id).toBeDefined();
    }
    expect(SEVERITY.MUST).toBe("critical");
    expect(SEVERITY.SHOULD).toBe("normal");
    expect(SEVERITY.DERIVED).toBe("minor");
  });
});

describe("exchange attachments", () => {
  const exchange: Exchange = {
    request: {
      method: "POST",
      url: "http://127.0.0.1:4000/token",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=authorization_code&code=abc123&client_assertion=${JWT}`,
    },
    response: {
      status: 200,
      headers: { "content-type": "application/json", "set-cookie": "sid=secret-session; HttpOnly" },
      body: JSON.stringify({ id_token: JWT, access_token: JWT, refresh_token: "opaque-refresh-value", token_type: "Bearer" }),
    },
    startedAt: new Date(0).toISOString(),
    durationMs: 12,
  };

  it("names the step after the exchange and shows request, response and each token decoded without its signature", () => {
    const safe = redactExchange(exchange);
    expect(exchangeStepName(safe)).toBe("POST http://127.0.0.1:4000/token → 200");
    const attachments = exchangeAttachments(safe);
    expect(attachments.map((a) => a.name)).toEqual([
      "POST /token request",
      "POST /token response 200",
      "POST /token request client_assertion (JWT, signature removed)",
      "POST /token response id_token (JWT, signature removed)",
      "POST /token response access_token (JWT, signature removed)",
    ]);
    const all = attachments.map((a) => a.content).join("\n");
    expect(all).not.toContain("c2lnbmF0dXJl");
    expect(all).not.toContain("opaque-refresh-value");
    expect(all).not.toContain("secret-session");
    expect(all).not.toContain("abc123");
    expect(JSON.parse(attachments[3]!.content)).toEqual({
      header: { alg: "RS512", typ: "JWT" },
      claims: { sub: "p9", jti: "j-1" },
      signature: "removed from the report",
    });
  });

  it("keeps signatures only when tokens are included on purpose", () => {
    const attachments = exchangeAttachments(redactExchange(exchange, { includeTokens: true }));
    expect(attachments.find((a) => a.name.includes("id_token"))!.name).toContain("signature kept");
  });

  it("says when no response came", () => {
    const x: Exchange = {
      request: { method: "GET", url: "http://127.0.0.1:1/x?a=1", headers: {} },
      error: { code: "HTTP_TIMEOUT", message: "no answer within 300 ms" },
      startedAt: "",
      durationMs: 300,
    };
    expect(exchangeStepName(x)).toBe("GET http://127.0.0.1:1/x?… → no response (HTTP_TIMEOUT)");
    expect(exchangeAttachments(x)[1]!.content).toBe("no response after 300 ms: HTTP_TIMEOUT no answer within 300 ms");
  });
});

describe("stripping the Allure HTML", () => {
  const html = [
    "<html><head><script>window.allureReportOptions = {}</script></head><body>",
    `<script src="data:text/javascript;base64,${Buffer.from("console.log(1)").toString("base64")}"></script>`,
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>',
    "<script>\n window.dataLayer = window.dataLayer || [];\n function gtag(){dataLayer.push(arguments);}\n" +
      " gtag('config', 'G-XXXX');\n</script>",
    '<link rel="preconnect" href="https://fonts.example">',
    "</body></html>",
  ].join("\n");

  it("finds what points outside before, and nothing after", () => {
    expect(outsideReferences(html)).toEqual(
      expect.arrayContaining(["<script> loads https://www.googletagmanager.com/gtag/js?id=G-XXXX", "mentions googletagmanager.com"]),
    );
    const { html: clean, stripped } = stripThirdPartyScripts(html);
    expect(stripped).toHaveLength(3);
    expect(outsideReferences(clean)).toEqual([]);
    expect(clean).toContain("window.allureReportOptions");
    expect(clean).toContain("data:text/javascript;base64,");
  });

  it("also looks inside base64-embedded scripts", () => {
    const payload = Buffer.from("fetch('https://www.google-analytics.com/g/collect')").toString("base64");
    const hidden = `<script src="data:text/javascript;base64,${payload}"></script>`;
    expect(outsideReferences(hidden)).toEqual(["mentions google-analytics.com"]);
  });
});

describe("manual scenarios (catalogue section 3)", () => {
  it("lists every scenario once, with steps, and cites only catalogue requirements", () => {
    const ids = MANUAL_SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        "M-G1",
        "M-G2",
        "M-G3",
        "M-G4",
        "M-R1",
        "M-R2",
        "M-R3",
        "M-L0",
        "M-L5",
        "M-L9",
        "M-IM1",
        "M-PYI",
        "M-TC1",
        "M-TC2",
        "M-FIDO",
        "M-WT",
        "M-SESS",
        "M-BTN",
      ]),
    );
    for (const s of MANUAL_SCENARIOS) {
      expect(s.steps.length, s.id).toBeGreaterThan(0);
      for (const r of s.requirements) expect(isRequirementId(r), `${s.id} cites ${r}`).toBe(true);
    }
    expect(manualScenario("M-G2").requirements).toContain("CONSENT-02");
    expect(() => manualScenario("M-NOPE")).toThrow(RangeError);
  });
});
