/**
 * JOSE-level checks of the tokens NHS login signs (FED-JWT-01..03, FED-DISC-02, FED-IDT-17,
 * FED-AT-01): the protected header and the signature against the published JWKS. Pure functions
 * on a decoded header or a compact token, usable on captured artefacts as well as live tokens.
 *
 * @example
 * ```ts
 * const d = decodeJwtSafely(idToken)
 * if (d.ok) findings.push(...jwtHeaderFindings(d.header, { jwks, token: "ID token" }))
 * findings.push(...(await jwsSignatureFindings(idToken, jwks)))
 * ```
 */
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { finding, type Finding } from "../../requirements/index.ts";
import { gradedSchemaFindings } from "../../validate/index.ts";
import { Findings } from "../findings.ts";
import { isObject } from "../../json/is-object.ts";
import { show } from "../show.ts";

export interface JwtHeaderExpectations {
  /** The JWKS the signing key must be published in (checked by `kid`). */
  jwks?: unknown;
  /** What the token is, for messages (default "ID token"). */
  token?: string;
  /** Report the header rules under this requirement instead of FED-JWT-01..03 (e.g. "FED-AT-01"). */
  requirement?: string;
}

const KEY_CARRYING_MEMBERS = ["jku", "jwk", "x5u", "x5c"] as const;

/**
 * FED-JWT-01 (alg RS512), FED-JWT-02 (typ JWT), FED-JWT-03 (no jku, jwk, x5u, x5c), the
 * `jwt-header` schema, and FED-DISC-02 (the `kid` names a key of the JWKS, when one is given).
 */
export function jwtHeaderFindings(header: unknown, x: JwtHeaderExpectations = {}): Finding[] {
  const token = x.token ?? "ID token";
  const id = (rule: "FED-JWT-01" | "FED-JWT-02" | "FED-JWT-03") => x.requirement ?? rule;
  const c = new Findings();
  if (!isObject(header)) return [finding(id("FED-JWT-01"), "failed", `the ${token} header is not a JSON object`)];
  if (header.alg !== "RS512") c.deviation(id("FED-JWT-01"), `${token} header alg is ${show(header.alg)}, expected "RS512"`);
  if (header.typ !== "JWT") c.deviation(id("FED-JWT-02"), `${token} header typ is ${show(header.typ)}, expected "JWT"`);
  const carried = KEY_CARRYING_MEMBERS.filter((m) => m in header);
  if (carried.length > 0) c.deviation(id("FED-JWT-03"), `${token} header carries ${carried.join(", ")}: keys must come only from the JWKS`);
  for (const f of gradedSchemaFindings(id("FED-JWT-01"), "jwt-header", header)) {
    if (f.status !== "passed") c.add(f.requirement, f.status, `${token} header ${f.message}`);
  }
  if (x.jwks !== undefined) {
    const keys = isObject(x.jwks) && Array.isArray(x.jwks.keys) ? (x.jwks.keys as unknown[]) : [];
    if (typeof header.kid !== "string" || header.kid.length === 0) {
      c.add("FED-DISC-02", "warning", `${token} header has no kid, so the verifying key cannot be chosen from the JWKS by kid`);
    } else if (!keys.some((k) => isObject(k) && k.kid === header.kid)) {
      c.deviation("FED-DISC-02", `${token} kid ${show(header.kid)} names no key of the JWKS (${keys.length} key(s) published)`);
    } else {
      c.pass("FED-DISC-02", `${token} kid ${show(header.kid)} is published in the JWKS`);
    }
  }
  c.pass(id("FED-JWT-01"), `${token} header alg is RS512`);
  c.pass(id("FED-JWT-02"), `${token} header typ is JWT`);
  c.pass(id("FED-JWT-03"), `${token} header carries no jku, jwk, x5u or x5c`);
  return c.list();
}

export interface SignatureExpectations {
  /** What the token is, for messages (default "ID token"). */
  token?: string;
  /** Requirements the verdict is reported under (default FED-DISC-02 and FED-IDT-17). */
  requirements?: readonly string[];
}

/**
 * The token's RS512 signature verifies with a key of `jwks` chosen by `kid` (jose: keys under
 * 2048 bits are refused, and that refusal is reported as the failure it is).
 */
export async function jwsSignatureFindings(token: unknown, jwks: unknown, x: SignatureExpectations = {}): Promise<Finding[]> {
  const name = x.token ?? "ID token";
  const ids = x.requirements ?? ["FED-DISC-02", "FED-IDT-17"];
  const all = (status: "passed" | "failed", message: string) => ids.map((id) => finding(id, status, message));
  if (typeof token !== "string") return all("failed", `there is no ${name} to verify`);
  if (!isObject(jwks) || !Array.isArray(jwks.keys)) return all("failed", `the JWKS has no keys array to verify the ${name} with`);
  try {
    await compactVerify(token, createLocalJWKSet(jwks as unknown as JSONWebKeySet), { algorithms: ["RS512"] });
    return all("passed", `the ${name} signature verifies (RS512) with a key of the JWKS`);
  } catch (err) {
    const e = err as Error & { code?: string };
    return all("failed", `the ${name} signature does not verify with the JWKS as RS512: ${e.code ? `${e.code}: ` : ""}${e.message}`);
  }
}
