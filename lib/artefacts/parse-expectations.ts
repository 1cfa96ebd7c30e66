/**
 * Read `expected.json`: what the captured flow asked for. Required: `issuer`, `client_id`,
 * `scopes` (an array, or a space-separated string). Optional: `nonce`, `vtr` (an array of
 * vectors, or the JSON text sent as the parameter; absent means none was sent), `captured_at`
 * (epoch seconds or an ISO 8601 date-time) and `users_v2` (`{ users_scope, scopes }` of the
 * Users V2 token request). Unknown members are ignored. A wrong shape is a reason, never a throw.
 *
 * @example
 * ```ts
 * parseExpectations(
 *   '{"issuer":"https://auth.sandpit.signin.nhs.uk","client_id":"abc","nonce":"n1","scopes":"openid profile"}',
 *   "expected.json",
 * )
 * // { state: "ok", file, value: { issuer, clientId: "abc", nonce: "n1", scopes: ["openid", "profile"] } }
 * ```
 */
import { parseVtr, VectorSyntaxError } from "../nhs/vot.ts";
import { splitScope } from "../nhs/scopes.ts";
import type { Artefact, ArtefactExpectations } from "./types.ts";
import { isObject } from "../json/is-object.ts";

class Wrong extends Error {}

function text(o: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || v.length === 0)
    throw new Wrong(`${key} is ${v === undefined ? "absent" : JSON.stringify(v)}, expected a non-empty string`);
  return v;
}

function scopeList(v: unknown, key: string): string[] {
  const list =
    typeof v === "string" ? splitScope(v) : Array.isArray(v) && v.every((s) => typeof s === "string") ? (v as string[]) : undefined;
  if (!list || list.length === 0)
    throw new Wrong(
      `${key} is ${v === undefined ? "absent" : JSON.stringify(v)}, expected scopes as an array of strings or a space-separated string`,
    );
  return list;
}

function vtrOf(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const json = typeof v === "string" ? v : JSON.stringify(v);
  try {
    return parseVtr(json).map((x) => x.raw);
  } catch (err) {
    if (err instanceof VectorSyntaxError || err instanceof SyntaxError)
      throw new Wrong(`vtr ${JSON.stringify(v)} is not a list of vectors of trust: ${err.message}`);
    throw err;
  }
}

function capturedAtOf(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number" && Number.isInteger(v) && v > 0) return v;
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) return Math.floor(Date.parse(v) / 1000);
  throw new Wrong(`captured_at is ${JSON.stringify(v)}, expected epoch seconds or an ISO 8601 date-time`);
}

function usersV2Of(v: unknown): ArtefactExpectations["usersV2"] {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new Wrong(`users_v2 is ${JSON.stringify(v)}, expected an object { users_scope, scopes }`);
  const usersScope = text(v, "users_scope", false);
  const scopes = v.scopes === undefined ? undefined : scopeList(v.scopes, "users_v2.scopes");
  return { ...(usersScope ? { usersScope } : {}), ...(scopes ? { scopes } : {}) };
}

export function parseExpectations(source: string, file: string): Artefact<ArtefactExpectations> {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (err) {
    return { state: "unreadable", file, reason: `${file} is not JSON (${(err as Error).message})` };
  }
  if (!isObject(data)) return { state: "unreadable", file, reason: `${file} is not a JSON object` };
  try {
    const vtr = vtrOf(data.vtr);
    const nonce = text(data, "nonce", false);
    const capturedAt = capturedAtOf(data.captured_at);
    const usersV2 = usersV2Of(data.users_v2);
    const value: ArtefactExpectations = {
      issuer: text(data, "issuer", true)!,
      clientId: text(data, "client_id", true)!,
      scopes: scopeList(data.scopes, "scopes"),
      ...(nonce !== undefined ? { nonce } : {}),
      ...(vtr !== undefined ? { vtr } : {}),
      ...(capturedAt !== undefined ? { capturedAt } : {}),
      ...(usersV2 !== undefined ? { usersV2 } : {}),
    };
    return { state: "ok", file, value };
  } catch (err) {
    if (err instanceof Wrong) return { state: "unreadable", file, reason: `${file}: ${err.message}` };
    throw err;
  }
}
