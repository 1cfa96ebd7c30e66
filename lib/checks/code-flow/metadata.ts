/**
 * The client_user_metadata round trip through PATCH /userinfo (EIS §3.6.3; FED-UIP-01/03..06,
 * FED-UI-15, KEY-05), made only when the harness's scopes include client_metadata. It leaves the stored
 * value cleared.
 *
 * @example
 * ```ts
 * const findings = await metadataProbe(env)
 * ```
 */
import { constants, privateDecrypt, randomBytes } from "node:crypto";
import { finding, type Finding } from "../../requirements/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { metadataLengthFindings, metadataScopeFindings, metadataUpdateFindings } from "./userinfo.ts";
import { Findings } from "../findings.ts";
import { isObject } from "../../json/is-object.ts";
import { show } from "../show.ts";
import { endpointOf, harnessOf, userinfoRequest } from "./requests.ts";
import { codeFlowSession, requireAccessToken } from "./sessions.ts";

export const METADATA_IDS = [
  "FED-UIP-01",
  "FED-UIP-02",
  "FED-UIP-03",
  "FED-UIP-04",
  "FED-UIP-05",
  "FED-UIP-06",
  "FED-UIP-07",
  "FED-UI-15",
  "KEY-05",
] as const;

export async function metadataProbe(env: EnvironmentContext): Promise<Finding[]> {
  if (!env.scopes.includes("client_metadata")) {
    return METADATA_IDS.map((id) =>
      finding(id, "skipped", "client_metadata is not among the harness scopes (NHSLOGIN_SCOPES), so PATCH /userinfo is not exercised"),
    );
  }
  const s = await codeFlowSession(env, "primary");
  const token = requireAccessToken(s).raw;
  const c = new Findings();
  const patch = (value: string) => userinfoRequest(env, { accessToken: token, method: "PATCH", json: { client_user_metadata: value } });
  const stored = async () => {
    const res = await userinfoRequest(env, { accessToken: token });
    return isObject(res.body) ? res.body.client_user_metadata : undefined;
  };

  // FED-UIP-01: the update is JSON; a form-encoded PATCH is not accepted.
  const form = await env.http.request({
    method: "PATCH",
    url: await endpointOf(env, "userinfo_endpoint"),
    headers: { authorization: `Bearer ${token}` },
    form: { client_user_metadata: "form-encoded" },
  });
  if (form.status >= 200 && form.status < 300)
    c.deviation("FED-UIP-01", `a form-encoded PATCH was accepted (HTTP ${form.status}); the update must be JSON`);
  else c.pass("FED-UIP-01", `a form-encoded PATCH was refused (HTTP ${form.status})`);

  // FED-UIP-05: an opaque value comes back exactly as stored.
  const value = `conformance-${randomBytes(6).toString("base64url")}_ü`;
  c.addAll(metadataUpdateFindings(await patch(value), "setting a value"));
  const got = await stored();
  if (got !== value) c.deviation("FED-UIP-05", `after setting ${show(value)}, UserInfo has client_user_metadata ${show(got)}`);
  else c.pass("FED-UIP-05", "the value set came back unchanged");

  // FED-UIP-04 and FED-UI-15: "auto" makes NHS login store a value encrypted for the client.
  c.addAll(metadataUpdateFindings(await patch("auto"), "asking for auto"));
  const auto = await stored();
  if (typeof auto !== "string" || auto === "auto" || auto === value)
    c.deviation("FED-UIP-04", `after "auto", client_user_metadata is ${show(auto)}, expected a new generated value`);
  else {
    const plain = decryptForClient(auto, env);
    if (plain === undefined) {
      c.deviation(
        "FED-UI-15",
        `the generated value (${auto.length} characters) does not decrypt with the harness key ` +
          "under RSA-OAEP (SHA-1 or SHA-256) after base64url decoding",
      );
      c.deviation("KEY-05", "the generated value is not encrypted to the key pair that signs the harness's client assertions");
    } else {
      c.pass("FED-UI-15", `the generated value decrypts with the harness key (${plain.length} bytes)`);
      c.pass("KEY-05", "NHS login encrypted the generated value to the public half of the key pair that signs the client assertions");
    }
    c.pass("FED-UIP-04", "auto stored a new generated value");
  }

  // FED-UIP-02: 1024 characters at most, and NHS login checks that length.
  c.addAll(metadataLengthFindings(await patch("m".repeat(1024)), await patch("m".repeat(1025))));

  // FED-UIP-07: a token from a sign-in that did not grant client_metadata cannot update it. A
  // failure of that sign-in leaves this one ID unobserved, not the others, and the value is still cleared.
  try {
    const other = requireAccessToken(await codeFlowSession(env, "no-metadata")).raw;
    c.addAll(
      metadataScopeFindings(
        await userinfoRequest(env, { accessToken: other, method: "PATCH", json: { client_user_metadata: "no-scope" } }),
      ),
    );
  } catch (err) {
    c.inconclusive("FED-UIP-07", `the sign-in without client_metadata could not be made: ${(err as Error).message}`);
  }

  // FED-UIP-03: "" clears the value (and whatever the checks above stored).
  c.addAll(metadataUpdateFindings(await patch(""), "clearing"));
  const cleared = await stored();
  if (cleared !== undefined) c.deviation("FED-UIP-03", `after clearing, client_user_metadata is still ${show(cleared)}`);
  else c.pass("FED-UIP-03", "an empty value cleared client_user_metadata");
  return c.list();
}

/** Decrypt a base64url RSA-OAEP block with the harness key (SHA-1 first, then SHA-256). */
function decryptForClient(value: string, env: EnvironmentContext): Buffer | undefined {
  const key = harnessOf(env).privateKey;
  const block = Buffer.from(value, "base64url");
  for (const oaepHash of ["sha1", "sha256"]) {
    try {
      return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, block);
    } catch {
      // try the next hash
    }
  }
  return undefined;
}
