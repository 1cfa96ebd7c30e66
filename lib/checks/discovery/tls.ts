/**
 * FED-GEN-01 and UEV2-GEN-01 at the handshake: every origin of the environment refuses TLS 1.0
 * and 1.1 and negotiates TLS 1.2 or later. Plain http on loopback (the embedded simulator without
 * SIMULATOR_TLS) has no TLS to judge and is skipped, with the reason; plain http anywhere else
 * breaks the rule.
 *
 * @example
 * ```ts
 * const findings = tlsFindings(await tlsProbe(env))
 * ```
 */
import { isLoopbackHost } from "../../http/is-loopback-host.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { type HandshakeOutcome, type TlsTarget, tlsHandshake, tlsTargets } from "./tls-probe.ts";

export const TLS_IDS = ["FED-GEN-01", "UEV2-GEN-01"] as const;

/** What was seen at one origin: nothing for plain http, else the three handshakes. */
export interface TlsObservation extends TlsTarget {
  handshakes?: { TLSv1: HandshakeOutcome; "TLSv1.1": HandshakeOutcome; "TLSv1.2+": HandshakeOutcome };
}

export async function tlsProbe(env: EnvironmentContext): Promise<TlsObservation[]> {
  const out: TlsObservation[] = [];
  for (const target of await tlsTargets(env)) {
    const url = new URL(target.origin);
    if (url.protocol !== "https:") {
      out.push(target);
      continue;
    }
    out.push({
      ...target,
      handshakes: {
        TLSv1: await tlsHandshake(url, "TLSv1"),
        "TLSv1.1": await tlsHandshake(url, "TLSv1.1"),
        "TLSv1.2+": await tlsHandshake(url, "TLSv1.2+"),
      },
    });
  }
  return out;
}

/** The findings for one origin under one requirement. */
function originFindings(id: string, o: TlsObservation): Finding[] {
  const where = `${o.origin} (${o.endpoints.join(", ")})`;
  const url = new URL(o.origin);
  if (!o.handshakes) {
    if (url.protocol === "http:" && isLoopbackHost(url.hostname))
      return [
        finding(
          id,
          "skipped",
          `${where} serves plain http on loopback (the embedded simulator): no TLS to judge; SIMULATOR_TLS=true serves https`,
        ),
      ];
    return [finding(id, deviationStatus(id), `${where} is ${url.protocol.replace(":", "")}, not HTTPS`)];
  }
  const h = o.handshakes;
  const out: Finding[] = [];
  for (const old of ["TLSv1", "TLSv1.1"] as const) {
    const r = h[old];
    if (r.outcome === "accepted")
      out.push(
        finding(
          id,
          deviationStatus(id),
          `${where} completed a handshake offering only ${old} (negotiated ${r.protocol}), expected a refusal`,
        ),
      );
    else if (r.outcome === "unreachable")
      out.push(finding(id, "inconclusive", `${where}: no answer to a handshake offering only ${old} (${r.reason})`));
  }
  const m = h["TLSv1.2+"];
  if (m.outcome === "refused")
    out.push(finding(id, deviationStatus(id), `${where} refused a handshake offering TLS 1.2 and 1.3 (${m.reason})`));
  else if (m.outcome === "unreachable")
    out.push(finding(id, "inconclusive", `${where}: no answer to a handshake offering TLS 1.2 and 1.3 (${m.reason})`));
  if (out.length > 0) return out;
  const refusals = [h.TLSv1, h["TLSv1.1"]].map((r) => (r.outcome === "refused" ? r.reason : "")).join("; ");
  return [finding(id, "passed", `${where} refused TLS 1.0 and 1.1 (${refusals}) and negotiated ${(m as { protocol: string }).protocol}`)];
}

/** `usersV2Unavailable`: why Users V2 is not in use here; UEV2-GEN-01 is then skipped with it. */
export function tlsFindings(observations: readonly TlsObservation[], options: { usersV2Unavailable?: string } = {}): Finding[] {
  return TLS_IDS.flatMap((id) =>
    id === "UEV2-GEN-01" && options.usersV2Unavailable !== undefined
      ? [finding(id, "skipped", options.usersV2Unavailable)]
      : observations.filter((o) => o.ids.includes(id)).flatMap((o) => originFindings(id, o)),
  );
}
