/**
 * SCOPE-11 (docs:scopes-and-claims note 7; EIS T2): the `client_metadata` scope gives
 * `client_user_metadata` at every proofing level. For each of P0, P5 and P9, a person of that level
 * signs in with `openid client_metadata`, the harness stores a value with PATCH /userinfo, reads it
 * back from UserInfo, and clears it again. It needs someone of each level to sign in: the
 * embedded simulator's personas (against a real environment, the scenarios M-L0, M-L5 and M-L9).
 *
 * @example
 * ```ts
 * const findings = metadataByLevelFindings(await metadataByLevelProbe(env))
 * ```
 */
import { randomBytes } from "node:crypto";
import { isObject } from "../../json/is-object.ts";
import type { ProofingLevel } from "../../nhs/vot.ts";
import { splitScope } from "../../nhs/scopes.ts";
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import type { EnvironmentContext } from "../environment/environment-check.ts";
import { show } from "../show.ts";
import { LEVELS } from "./claims-by-level.ts";
import { exchangeCode, userinfoRequest } from "./requests.ts";
import { authorizeParams } from "./sessions.ts";

/** What one level's round trip gave: the value stored and what UserInfo then held, or why there was nothing. */
export interface MetadataLevelObservation {
  level: ProofingLevel;
  stored?: string;
  /** The PATCH's HTTP status. */
  patched?: number;
  /** client_user_metadata in UserInfo after the PATCH. */
  got?: unknown;
  problem?: string;
}

export async function metadataByLevelProbe(env: EnvironmentContext): Promise<MetadataLevelObservation[]> {
  if (!env.signInAs) throw new Error(env.unavailable.personas ?? "no way to choose who signs in");
  const out: MetadataLevelObservation[] = [];
  for (const level of LEVELS) {
    const seen: MetadataLevelObservation = { level };
    try {
      const redirect = await env.signInAs(level, authorizeParams(env, ["openid", "client_metadata"], [`${level}.Cp.Cd`]));
      const code = redirect.searchParams.get("code");
      if (!code) throw new Error(`the sign-in gave no code (error=${redirect.searchParams.get("error") ?? "none"})`);
      const exchange = await exchangeCode(env, code);
      const body = isObject(exchange.body) ? exchange.body : {};
      const token = body.access_token;
      if (exchange.status !== 200 || typeof token !== "string") throw new Error(`the code exchange answered ${exchange.status}`);
      // Judged only where client_metadata was granted: an unapproved scope is the client's registration, not SCOPE-11.
      if (typeof body.scope === "string" && !splitScope(body.scope).includes("client_metadata"))
        throw new Error(`client_metadata was not granted (scope ${JSON.stringify(body.scope)})`);
      seen.stored = `scope-11-${level}-${randomBytes(6).toString("base64url")}`;
      const patch = (value: string) => userinfoRequest(env, { accessToken: token, method: "PATCH", json: { client_user_metadata: value } });
      try {
        seen.patched = (await patch(seen.stored)).status;
        const info = await userinfoRequest(env, { accessToken: token });
        if (info.status !== 200 || !isObject(info.body)) throw new Error(`UserInfo answered ${info.status}`);
        seen.got = info.body.client_user_metadata;
      } finally {
        await patch("");
      }
    } catch (err) {
      seen.problem = (err as Error).message;
    }
    out.push(seen);
  }
  return out;
}

export function metadataByLevelFindings(observations: readonly MetadataLevelObservation[]): Finding[] {
  const id = "SCOPE-11";
  return observations.map((o) => {
    const who = `a ${o.level} person signed in with openid client_metadata`;
    if (o.problem !== undefined) return finding(id, "inconclusive", `${who}: ${o.problem}`);
    if (o.patched !== 204)
      return finding(id, deviationStatus(id), `${who}: storing client_user_metadata answered HTTP ${o.patched}, expected 204`);
    if (o.got !== o.stored)
      return finding(id, deviationStatus(id), `${who}: after storing ${show(o.stored)}, UserInfo gave client_user_metadata ${show(o.got)}`);
    return finding(id, "passed", `${who}: UserInfo gave back the client_user_metadata stored`);
  });
}
