/**
 * Read a captured HTTP answer (`userinfo.json`, `users-v2-*.json`) in either form:
 *
 * - an envelope `{ "status": 200, "headers": { ... }, "body": ..., "request"?: { "filter", "scope" } }`
 *   (`body` a JSON value, or the body text as a string; `headers` optional);
 * - a bare body, whose status `bareStatus` infers from its shape (headers are then unknown).
 *
 * An object is an envelope when it has an integer `status` and a `body` member. Never throws.
 *
 * @example
 * ```ts
 * parseCapturedAnswer('{"sub":"abc"}', "userinfo.json", () => 200)
 * // { state: "ok", value: { form: "bare", status: 200, headers: {}, text: '{"sub":"abc"}', body: { sub: "abc" } } }
 * ```
 */
import type { Artefact, CapturedAnswer } from "./types.ts";
import { isObject } from "../json/is-object.ts";

/** True for the envelope form: an object with an integer `status` and a `body`. */
export function isEnvelope(value: unknown): value is Record<string, unknown> & { status: number } {
  return isObject(value) && Number.isInteger(value.status) && "body" in value;
}

export function parseCapturedAnswer(
  source: string,
  file: string,
  bareStatus: (body: unknown) => number | { reason: string },
): Artefact<CapturedAnswer> {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (err) {
    return { state: "unreadable", file, reason: `${file} is not JSON (${(err as Error).message})` };
  }
  if (!isEnvelope(data)) {
    const status = bareStatus(data);
    if (typeof status !== "number") return { state: "unreadable", file, reason: `${file}: ${status.reason}` };
    return { state: "ok", file, value: { form: "bare", status, headers: {}, text: source, body: data } };
  }
  const { status, headers, body, request } = data;
  if (status < 100 || status > 599)
    return { state: "unreadable", file, reason: `${file}: the envelope status ${status} is not an HTTP status` };
  if (headers !== undefined && (!isObject(headers) || Object.values(headers).some((v) => typeof v !== "string"))) {
    return { state: "unreadable", file, reason: `${file}: the envelope headers are not an object of strings` };
  }
  if (
    request !== undefined &&
    (!isObject(request) || ["filter", "scope"].some((k) => request[k] !== undefined && typeof request[k] !== "string"))
  ) {
    return { state: "unreadable", file, reason: `${file}: the envelope request is not an object { filter?, scope? } of strings` };
  }
  let text: string;
  let parsed: unknown;
  if (typeof body === "string") {
    text = body;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  } else {
    text = body === undefined || body === null ? "" : JSON.stringify(body);
    parsed = body ?? undefined;
  }
  const req = request as { filter?: string; scope?: string } | undefined;
  const value: CapturedAnswer = {
    form: "envelope",
    status,
    headers: Object.fromEntries(
      Object.entries((headers as Record<string, string> | undefined) ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    text,
    body: parsed,
    ...(req && (req.filter !== undefined || req.scope !== undefined)
      ? {
          request: {
            ...(req.filter !== undefined ? { filter: req.filter } : {}),
            ...(req.scope !== undefined ? { scope: req.scope } : {}),
          },
        }
      : {}),
  };
  return { state: "ok", file, value };
}
