/**
 * The transport rules of lib/checks/users-v2/transport.ts: https for every Users V2 URL
 * (UEV2-GEN-01) and the T10 row 12 body of every 500 seen (UEV2-ERR-12).
 */
import { describe, expect, it } from "vitest";
import { httpsFindings, internalErrorFindings } from "../../../lib/checks/users-v2/transport.ts";
import type { Finding } from "../../../lib/requirements/index.ts";
import { response, statusOf } from "./_fixtures.ts";

const messages = (findings: readonly Finding[]) => findings.map((f) => f.message).join("\n");

describe("httpsFindings (UEV2-GEN-01)", () => {
  it("passes https URLs, naming them", () => {
    const f = httpsFindings([
      { label: "token endpoint", url: "https://auth.login.nhs.uk/token" },
      { label: "Users endpoint", url: "https://auth.login.nhs.uk/v2/Users" },
    ]);
    expect(statusOf(f)).toBe("passed");
    expect(messages(f)).toContain(
      "https for token endpoint https://auth.login.nhs.uk/token, Users endpoint https://auth.login.nhs.uk/v2/Users",
    );
  });

  it("warns on plain http on loopback (the simulator), as FED-DISC-01 does", () => {
    for (const host of ["127.0.0.1:4000", "localhost", "[::1]:8080"]) {
      const f = httpsFindings([{ label: "token endpoint", url: `http://${host}/token` }]);
      expect(statusOf(f)).toBe("warning");
      expect(messages(f)).toMatch(/is plain http on loopback: acceptable only for a local simulator, NHS login requires https/);
    }
  });

  it("fails plain http elsewhere and what is no URL; skips with nothing to judge", () => {
    const f = httpsFindings([
      { label: "token endpoint", url: "https://auth.login.nhs.uk/token" },
      { label: "Users endpoint", url: "http://auth.login.nhs.uk/v2/Users" },
    ]);
    expect(statusOf(f)).toBe("failed");
    expect(messages(f)).toMatch(/the Users endpoint http:\/\/auth\.login\.nhs\.uk\/v2\/Users is http, not https/);
    expect(messages(httpsFindings([{ label: "token endpoint", url: "/token" }]))).toMatch(/"\/token" is not an absolute URL/);
    expect(statusOf(httpsFindings([]))).toBe("skipped");
  });
});

describe("internalErrorFindings (UEV2-ERR-12)", () => {
  it("skips with the reason when no 500 was observed", () => {
    const f = internalErrorFindings([
      { label: "a", res: response(400, {}) },
      { label: "b", res: response(200, {}) },
    ]);
    expect(statusOf(f)).toBe("skipped");
    expect(messages(f)).toBe("no 500 observed in 2 probes (statuses: 400, 200)");
  });

  it("passes a 500 with exactly the row 12 body", () => {
    const f = internalErrorFindings([{ label: "filter x", res: response(500, { error: "Internal server error" }) }]);
    expect(statusOf(f)).toBe("passed");
    expect(messages(f)).toBe('filter x: HTTP 500 with {"error":"Internal server error"}');
  });

  it("fails each 500 with another body, naming the probe and what came back", () => {
    const f = internalErrorFindings([
      { label: "filter ü", res: response(500, { Errors: [{ description: "Internal error", code: "500" }] }) },
      { label: "filter long", res: response(500, { error: "Internal server error", detail: "x" }) },
      { label: "filter nul", res: response(500, "") },
      { label: "fine", res: response(500, { error: "Internal server error" }) },
    ]);
    expect(statusOf(f)).toBe("failed");
    expect(f.filter((x) => x.status === "failed")).toHaveLength(3);
    expect(messages(f)).toMatch(/filter ü: HTTP 500 with \{"Errors":\[.*\]\}, expected exactly \{"error":"Internal server error"\}/);
    expect(messages(f)).toMatch(/filter nul: HTTP 500 with an empty body/);
  });
});
