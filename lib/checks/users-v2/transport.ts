/**
 * Transport-level checks of Users V2 (UEV2 §2.1, §3.2.1, §3.3.3 T10): every URL used is https
 * (UEV2-GEN-01; plain http is tolerated on a loopback host, the embedded simulator, as a warning,
 * as FED-DISC-01 does), and every HTTP 500 seen carries exactly the T10 row 12 body
 * `{"error": "Internal server error"}` (UEV2-ERR-12), which on a working environment can only be
 * observed by chance: with no 500 the finding is skipped.
 *
 * @example
 * ```ts
 * httpsFindings([{ label: "token endpoint", url: "https://auth.login.nhs.uk/token" }])
 * internalErrorFindings([{ label: "filter email eq \"ü@b.c\"", res }])
 * ```
 */
import { isDeepStrictEqual } from "node:util";
import type { Finding } from "../../requirements/index.ts";
import { isLoopbackHost } from "../../http/is-loopback-host.ts";
import { USERS_V2_ERRORS } from "../../nhs/scim-filter/index.ts";
import { Findings } from "../findings.ts";
import { excerpt, jsonBodyOf, type CapturedResponse } from "./response.ts";

/** UEV2-GEN-01: each Users V2 URL the harness uses is https. */
export function httpsFindings(urls: readonly { label: string; url: string }[]): Finding[] {
  const out = new Findings();
  const id = "UEV2-GEN-01";
  if (urls.length === 0) return out.skip(id, "no Users V2 URL to judge").list();
  const https: string[] = [];
  for (const { label, url } of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      out.fail(id, `the ${label} ${JSON.stringify(url)} is not an absolute URL`);
      continue;
    }
    if (parsed.protocol === "https:") https.push(`${label} ${url}`);
    else if (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname))
      out.warn(id, `the ${label} ${url} is plain http on loopback: acceptable only for a local simulator, NHS login requires https`);
    else out.fail(id, `the ${label} ${url} is ${parsed.protocol.replace(/:$/, "")}, not https: Users V2 traffic must use TLS 1.2 or later`);
  }
  out.pass(id, `https for ${https.join(", ")} (the TLS version is not probed)`);
  return out.list();
}

/** The T10 row 12 body. */
export const INTERNAL_ERROR_BODY = Object.freeze({ error: USERS_V2_ERRORS.internal.description });

/** UEV2-ERR-12: every 500 among `observed` has exactly the row 12 body; none seen is skipped. */
export function internalErrorFindings(observed: readonly { label: string; res: CapturedResponse }[]): Finding[] {
  const out = new Findings();
  const id = "UEV2-ERR-12";
  const failures = observed.filter((o) => o.res.status === 500);
  if (failures.length === 0) {
    const statuses = observed.map((o) => o.res.status).join(", ");
    return out.skip(id, `no 500 observed in ${observed.length} probe${observed.length === 1 ? "" : "s"} (statuses: ${statuses})`).list();
  }
  for (const { label, res } of failures) {
    const parsed = jsonBodyOf(res);
    if (!parsed.ok || !isDeepStrictEqual(parsed.value, INTERNAL_ERROR_BODY))
      out.fail(
        id,
        `${label}: HTTP 500 with ${excerpt(res.text) || "an empty body"}, expected exactly ${JSON.stringify(INTERNAL_ERROR_BODY)}`,
      );
  }
  out.pass(id, `${failures.map((f) => f.label).join("; ")}: HTTP 500 with ${JSON.stringify(INTERNAL_ERROR_BODY)}`);
  return out.list();
}
