/**
 * The TLS rule of lib/checks/discovery/tls.ts on crafted observations; the probe against the
 * simulator's https mode (passing), and broken by the tls-legacy-versions defect, is in
 * test/checks/environment/breakers.test.ts.
 */
import { describe, expect, it } from "vitest";
import { type TlsObservation, tlsFindings } from "../../../lib/checks/discovery/tls.ts";
import type { HandshakeOutcome } from "../../../lib/checks/discovery/tls-probe.ts";

const refused: HandshakeOutcome = { outcome: "refused", reason: "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: alert 70" };
const accepted = (protocol: string): HandshakeOutcome => ({ outcome: "accepted", protocol });
const unreachable: HandshakeOutcome = { outcome: "unreachable", reason: "ECONNREFUSED: refused" };
const origin = (o: string, handshakes?: TlsObservation["handshakes"], ids = ["FED-GEN-01", "UEV2-GEN-01"]): TlsObservation => ({
  origin: o,
  endpoints: ["token_endpoint"],
  ids,
  ...(handshakes ? { handshakes } : {}),
});
const good = { TLSv1: refused, "TLSv1.1": refused, "TLSv1.2+": accepted("TLSv1.3") };

describe("tlsFindings", () => {
  it("passes an origin that refuses 1.0 and 1.1 and negotiates 1.3, under each ID it covers", () => {
    const f = tlsFindings([origin("https://auth.example", good), origin("https://api.example", good, ["FED-GEN-01"])]);
    expect(f.map((x) => [x.requirement, x.status])).toEqual([
      ["FED-GEN-01", "passed"],
      ["FED-GEN-01", "passed"],
      ["UEV2-GEN-01", "passed"],
    ]);
    expect(f[0]!.message).toBe(
      "https://auth.example (token_endpoint) refused TLS 1.0 and 1.1 (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: alert 70; " +
        "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: alert 70) and negotiated TLSv1.3",
    );
  });

  it("fails an origin that completes a TLS 1.0 or 1.1 handshake, or refuses 1.2 and 1.3", () => {
    const f = tlsFindings([
      origin("https://a.example", { ...good, "TLSv1.1": accepted("TLSv1.1") }, ["FED-GEN-01"]),
      origin("https://b.example", { ...good, "TLSv1.2+": refused }, ["UEV2-GEN-01"]),
    ]);
    expect(f.map((x) => [x.requirement, x.status, x.message])).toEqual([
      [
        "FED-GEN-01",
        "failed",
        "https://a.example (token_endpoint) completed a handshake offering only TLSv1.1 (negotiated TLSv1.1), expected a refusal",
      ],
      ["UEV2-GEN-01", "failed", `https://b.example (token_endpoint) refused a handshake offering TLS 1.2 and 1.3 (${refused.reason})`],
    ]);
  });

  it("is inconclusive where a handshake got no answer", () => {
    const f = tlsFindings([origin("https://a.example", { ...good, TLSv1: unreachable, "TLSv1.2+": unreachable }, ["FED-GEN-01"])]);
    expect(f.map((x) => [x.status, x.message])).toEqual([
      ["inconclusive", "https://a.example (token_endpoint): no answer to a handshake offering only TLSv1 (ECONNREFUSED: refused)"],
      ["inconclusive", "https://a.example (token_endpoint): no answer to a handshake offering TLS 1.2 and 1.3 (ECONNREFUSED: refused)"],
    ]);
  });

  it("skips plain http on loopback with the reason, and fails plain http elsewhere", () => {
    const f = tlsFindings([
      origin("http://127.0.0.1:8080", undefined, ["FED-GEN-01"]),
      origin("http://auth.example", undefined, ["UEV2-GEN-01"]),
    ]);
    expect(f.map((x) => [x.requirement, x.status, x.message])).toEqual([
      [
        "FED-GEN-01",
        "skipped",
        "http://127.0.0.1:8080 (token_endpoint) serves plain http on loopback (the embedded simulator): " +
          "no TLS to judge; SIMULATOR_TLS=true serves https",
      ],
      ["UEV2-GEN-01", "failed", "http://auth.example (token_endpoint) is http, not HTTPS"],
    ]);
  });

  it("skips UEV2-GEN-01 with the reason where Users V2 is not in use", () => {
    const f = tlsFindings([origin("https://a.example", good)], { usersV2Unavailable: "no Users.retrieve scope configured" });
    expect(f.map((x) => [x.requirement, x.status])).toEqual([
      ["FED-GEN-01", "passed"],
      ["UEV2-GEN-01", "skipped"],
    ]);
    expect(f[1]!.message).toBe("no Users.retrieve scope configured");
  });

  it("gives nothing for an ID no origin falls under (the runner then reports it unobserved)", () => {
    expect(tlsFindings([origin("https://a.example", good, ["FED-GEN-01"])]).map((x) => x.requirement)).toEqual(["FED-GEN-01"]);
  });
});
