/**
 * The shape every Users V2 finding function reads: an HTTP response as captured, whether live
 * (the harness HTTP client's `HttpResponse` fits as is) or from a saved `users-v2-*.json`
 * artefact (map its `response.body` to `text`). Plus the small readers they share.
 *
 * @example
 * ```ts
 * const res: CapturedResponse = await env.http.request({ method: "GET", url })
 * headerOf(res, "Cache-Control") // "no-store"
 * mediaTypeOf(res)               // "application/json"
 * ```
 */
import { isObject } from "../../json/is-object.ts";
import { finding, type Finding } from "../../requirements/index.ts";
import { gradedSchemaFindings, type SchemaName } from "../../validate/index.ts";

export interface CapturedResponse {
  status: number;
  /** Header names in any case; values as received. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body as text ("" when there was none). */
  text: string;
}

/** A header value, looked up case-insensitively. */
export function headerOf(res: CapturedResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(res.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The media type of the Content-Type header, lower case without parameters. */
export function mediaTypeOf(res: CapturedResponse): string | undefined {
  const value = headerOf(res, "content-type");
  return value === undefined ? undefined : value.split(";")[0]!.trim().toLowerCase();
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; error: string };

/** The body parsed as JSON, never throwing. */
export function jsonBodyOf(res: CapturedResponse): ParsedBody {
  if (res.text.trim() === "") return { ok: false, error: "the body is empty" };
  try {
    return { ok: true, value: JSON.parse(res.text) as unknown };
  } catch (err) {
    return { ok: false, error: `the body is not JSON (${(err as Error).message})` };
  }
}

/** A JSON object (not null, not an array), or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return isObject(value) ? value : undefined;
}

/** A short, safe rendering of a body for messages. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

/**
 * Grade `data` against a schema (strict, then its lenient variant). A schema that is not in
 * `schemas/` yet gives a `skipped` finding instead of an exception.
 */
export function schemaGrade(requirementId: string, schema: SchemaName, data: unknown): Finding[] {
  try {
    return gradedSchemaFindings(requirementId, schema, data);
  } catch (err) {
    if (err instanceof RangeError && /no schema named/.test(err.message)) {
      return [finding(requirementId, "skipped", `the ${schema} schema is not available yet, so the payload was not validated against it`)];
    }
    throw err;
  }
}
