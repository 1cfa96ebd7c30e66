/**
 * TLS handshakes with the origins of an environment (FED-GEN-01, UEV2-GEN-01): one offering only
 * TLS 1.0, one only TLS 1.1 (each must be refused) and one offering TLS 1.2 and 1.3 (must
 * succeed). Only the handshake is made: nothing is sent over the connection, so the certificate is
 * not what is judged here (every request of the other checks verifies it). The old versions are
 * offered with OpenSSL's security level 0, which Node otherwise keeps from offering them.
 *
 * @example
 * ```ts
 * await tlsHandshake(new URL("https://auth.sandpit.signin.nhs.uk"), "TLSv1.1") // { outcome: "refused", ... }
 * ```
 */
import { connect, type TLSSocket } from "node:tls";
import { isIP } from "node:net";
import type { EnvironmentContext } from "../environment/environment-check.ts";

export type TlsOffer = "TLSv1" | "TLSv1.1" | "TLSv1.2+";

export type HandshakeOutcome =
  | { outcome: "accepted"; protocol: string }
  /** The server ended the handshake (an alert such as protocol_version, or a closed connection). */
  | { outcome: "refused"; reason: string }
  /** No handshake happened: no TCP connection, a timeout, or this machine could not make the offer. */
  | { outcome: "unreachable"; reason: string };

/** How long one handshake may take, connection included. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;

/** Make one TLS handshake with `origin` (an https URL) offering only `offer`. Never throws. */
export function tlsHandshake(origin: URL, offer: TlsOffer, timeoutMs = HANDSHAKE_TIMEOUT_MS): Promise<HandshakeOutcome> {
  const host = origin.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(origin.port || 443);
  const versions =
    offer === "TLSv1.2+"
      ? { minVersion: "TLSv1.2" as const, maxVersion: "TLSv1.3" as const }
      : { minVersion: offer, maxVersion: offer, ciphers: "DEFAULT@SECLEVEL=0" };
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    let socket: TLSSocket;
    try {
      socket = connect({
        host,
        port,
        ...(isIP(host) ? {} : { servername: host }),
        ...versions,
        // Only the negotiated version is read; no data is exchanged over this connection.
        rejectUnauthorized: false,
      });
    } catch (err) {
      // e.g. an OpenSSL build that will not make the offer at all (FIPS, no TLS 1.0).
      resolve({ outcome: "unreachable", reason: `this machine cannot offer ${offer} (${(err as Error).message})` });
      return;
    }
    const done = (result: HandshakeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ outcome: "unreachable", reason: `no answer within ${timeoutMs} ms${connected ? " (connected, no handshake)" : ""}` }),
      timeoutMs,
    );
    socket.once("connect", () => {
      connected = true;
    });
    socket.once("secureConnect", () => done({ outcome: "accepted", protocol: socket.getProtocol() ?? "unknown" }));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      // OpenSSL's codes name the alert (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION); its messages add only internals.
      const reason = err.code?.startsWith("ERR_SSL_") ? err.code : `${err.code ?? "error"}: ${err.message.split("\n")[0]!.slice(0, 200)}`;
      if (err.code === "ERR_SSL_NO_PROTOCOLS_AVAILABLE")
        done({ outcome: "unreachable", reason: `this machine cannot offer ${offer} (${reason})` });
      else if (!connected) done({ outcome: "unreachable", reason });
      // A refusal is the server's alert or its hanging up mid-handshake; anything else (a peer that
      // does not speak TLS, a certificate or cipher failure on this side) observed no refusal.
      else if (isRefusal(err.code)) done({ outcome: "refused", reason });
      else done({ outcome: "unreachable", reason: `no TLS handshake to judge (${reason})` });
    });
    socket.once("close", () =>
      done(
        connected
          ? { outcome: "refused", reason: "the connection was closed during the handshake" }
          : { outcome: "unreachable", reason: "the connection was closed" },
      ),
    );
  });
}

/** An error code that is the server refusing the offer: a TLS alert, or the connection reset or ended. */
function isRefusal(code: string | undefined): boolean {
  if (code === "ECONNRESET" || code === "EPIPE") return true;
  return code !== undefined && /^ERR_SSL_(.*ALERT.*|.*HANDSHAKE_FAILURE|UNSUPPORTED_PROTOCOL|.*PROTOCOL_VERSION.*)$/.test(code);
}

/** The origins of an environment a requirement covers, from discovery. */
export interface TlsTarget {
  origin: string;
  /** The endpoints at this origin, by discovery member (or "issuer", "/v2/Users"). */
  endpoints: string[];
  /** The requirement IDs whose endpoints live here. */
  ids: string[];
}

/** Every endpoint of discovery and Users V2, grouped by origin, with the IDs each falls under. */
export async function tlsTargets(env: EnvironmentContext): Promise<TlsTarget[]> {
  const d = await env.discovery();
  const named: [string, unknown, string[]][] = [
    ["issuer", env.issuer, ["FED-GEN-01"]],
    ["authorization_endpoint", d.authorization_endpoint, ["FED-GEN-01"]],
    ["token_endpoint", d.token_endpoint, ["FED-GEN-01", "UEV2-GEN-01"]],
    ["userinfo_endpoint", d.userinfo_endpoint, ["FED-GEN-01"]],
    ["jwks_uri", d.jwks_uri, ["FED-GEN-01"]],
  ];
  if (typeof d.token_endpoint === "string") named.push(["/v2/Users", safeUrl("v2/Users", d.token_endpoint)?.href, ["UEV2-GEN-01"]]);
  const byOrigin = new Map<string, TlsTarget>();
  for (const [member, value, ids] of named) {
    const url = typeof value === "string" ? safeUrl(value) : undefined;
    if (!url) continue;
    const t = byOrigin.get(url.origin) ?? { origin: url.origin, endpoints: [], ids: [] };
    t.endpoints.push(member);
    for (const id of ids) if (!t.ids.includes(id)) t.ids.push(id);
    byOrigin.set(url.origin, t);
  }
  return [...byOrigin.values()];
}

function safeUrl(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}
