/**
 * Client registrations the simulator knows: the harness's own client and the service under test.
 * A registration mirrors what NHS login records at onboarding (EIS §7.1): redirect URIs, public
 * key, approved scopes and the vectors of trust the client may request.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { EIS_PROFILES, parseVector } from "../nhs/vot.ts";
import { KeyError } from "../errors/index.ts";
import { USERS_V2_OPTIONAL_SCOPES } from "../nhs/scopes.ts";
import { ODS_CODE_PATTERN } from "../nhs/provision-account/check-provision-body.ts";

/** In `usersV2Scopes`: the simulator's own Users.retrieve scope URL. */
export const USERS_RETRIEVE_PLACEHOLDER = "<Users.retrieve>";

export interface ClientRegistration {
  clientId: string;
  /** Exact redirect URIs (at most 10, FED-REG-05). */
  redirectUris: readonly string[];
  /** The client's public key: a KeyObject, a PEM string, or an RSA JWK. */
  publicKey: KeyObject | string | JWK;
  /** Federation scopes approved for the client (openid is always approved). */
  scopes?: readonly string[];
  /** Vectors the client is registered for (FED-REG-06); defaults to all twelve EIS profiles. */
  vtr?: readonly string[];
  /**
   * Users Endpoint V2 scopes approved for the client (the Users.retrieve URL and optional ones);
   * `"all"` approves the simulator's Users.retrieve scope and every optional scope, and
   * `"<Users.retrieve>"` in a list stands for the simulator's Users.retrieve scope (for a
   * registration planned before the simulator's issuer is known).
   */
  usersV2Scopes?: readonly string[] | "all";
  /**
   * Provision Account access (PA §3): the ODS codes of the organisations this client provisions
   * for. Without it the client_credentials grant is refused with unauthorized_client.
   */
  provisionAccount?: { odsCodes: readonly string[] };
  /**
   * Single sign-on configured by NHS login (docs:single-sign-on; SSO-11): the clients whose
   * `asserted_login_identity` is honoured when this client presents it. This client's own ID
   * stands for its uplift journey. Default: none.
   */
  ssoFrom?: readonly string[];
  /** Display name. */
  name?: string;
}

export interface RegisteredClient {
  clientId: string;
  name: string;
  redirectUris: readonly string[];
  publicKey: KeyObject;
  scopes: ReadonlySet<string>;
  vtr: readonly string[];
  usersV2Scopes: readonly string[];
  /** ODS codes the client may provision for; empty: no Provision Account access. */
  paOdsCodes: readonly string[];
  /** Clients whose asserted_login_identity this client may present (SSO configured for the pair). */
  ssoFrom: ReadonlySet<string>;
}

/**
 * Validate and normalise a registration; `usersScope` resolves `usersV2Scopes: "all"`.
 * Throws KeyError or TypeError with the reason.
 */
export function registerClient(reg: ClientRegistration, usersScope = ""): RegisteredClient {
  if (!reg.clientId || /\s/.test(reg.clientId)) throw new TypeError("clientId must be a non-empty string without whitespace");
  if (reg.redirectUris.length === 0 || reg.redirectUris.length > 10) {
    throw new TypeError(`client ${reg.clientId}: between 1 and 10 redirect URIs are allowed (FED-REG-05)`);
  }
  for (const uri of reg.redirectUris) new URL(uri);
  const publicKey = toPublicKey(reg.publicKey, reg.clientId);
  const vtr = reg.vtr ?? EIS_PROFILES;
  vtr.forEach(parseVector);
  for (const ods of reg.provisionAccount?.odsCodes ?? [])
    if (!ODS_CODE_PATTERN.test(ods))
      throw new TypeError(`client ${reg.clientId}: ODS code ${JSON.stringify(ods)} is not a letter and 5 or 6 digits`);
  return Object.freeze({
    clientId: reg.clientId,
    name: reg.name ?? reg.clientId,
    redirectUris: [...reg.redirectUris],
    publicKey,
    scopes: new Set(["openid", ...(reg.scopes ?? [])]),
    vtr: [...vtr],
    usersV2Scopes:
      reg.usersV2Scopes === "all"
        ? [usersScope, ...USERS_V2_OPTIONAL_SCOPES]
        : (reg.usersV2Scopes ?? []).map((s) => (s === USERS_RETRIEVE_PLACEHOLDER ? usersScope : s)),
    paOdsCodes: [...(reg.provisionAccount?.odsCodes ?? [])],
    ssoFrom: new Set(reg.ssoFrom ?? []),
  });
}

function toPublicKey(key: ClientRegistration["publicKey"], clientId: string): KeyObject {
  let out: KeyObject;
  try {
    if (typeof key === "string") out = createPublicKey(key);
    else if ("asymmetricKeyType" in key && typeof (key as KeyObject).export === "function") {
      const k = key as KeyObject;
      out = k.type === "private" ? createPublicKey(k) : k;
    } else out = createPublicKey({ key: key as JWK as import("node:crypto").JsonWebKey, format: "jwk" });
  } catch (cause) {
    throw new KeyError(`client ${clientId}: public key does not parse`, { cause });
  }
  const bits = out.asymmetricKeyDetails?.modulusLength ?? 0;
  if (out.asymmetricKeyType !== "rsa" || bits < 2048) {
    throw new KeyError(`client ${clientId}: public key must be RSA of at least 2048 bits (found ${out.asymmetricKeyType} ${bits})`);
  }
  return out;
}
