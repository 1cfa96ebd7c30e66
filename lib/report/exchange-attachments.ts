/**
 * Turn one (already redacted) HTTP exchange into what a reviewer reads in Allure: a step name,
 * the request and the response as plain HTTP text, and each JWT found in them decoded (header and
 * claims; the signature stays removed unless tokens are included on purpose).
 *
 * @example
 * ```ts
 * const safe = redactExchange(exchange)
 * exchangeStepName(safe) // "POST http://127.0.0.1:4000/token → 400"
 * for (const a of exchangeAttachments(safe)) await allure.attachment(a.name, a.content, a.contentType)
 * ```
 */
import type { Exchange } from "../http/index.ts";

export interface ReportAttachment {
  name: string;
  content: string;
  contentType: string;
}

const MAX_NAME = 160;

/** `METHOD url-without-query → status` (or the error code when no response came). */
export function exchangeStepName(x: Exchange): string {
  let url = x.request.url;
  const q = url.indexOf("?");
  if (q >= 0) url = `${url.slice(0, q)}?…`;
  const outcome = x.response ? String(x.response.status) : `no response (${x.error?.code ?? "error"})`;
  const name = `${x.request.method} ${url} → ${outcome}`;
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
}

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).flatMap(([k, v]) => v.split("\n").map((line) => `${k}: ${line}`));
}

function readableBody(body: string | undefined, contentType: string | undefined): string {
  if (body === undefined || body === "") return "";
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("json") || /^\s*[[{]/.test(body)) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body;
    }
  }
  if (type.includes("x-www-form-urlencoded")) {
    return body
      .split("&")
      .map((pair) => {
        try {
          return decodeURIComponent(pair.replace(/\+/g, " "));
        } catch {
          return pair;
        }
      })
      .join("\n");
  }
  return body;
}

function contentTypeOf(headers: Record<string, string>): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === "content-type")?.[1];
}

/** A JWT, whole or with its signature already replaced by the redaction marker. */
const JWT_LIKE = /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)\.(<signature removed>|[A-Za-z0-9_-]*)/g;
const FIELD_BEFORE = /(?:"([A-Za-z_][\w-]*)"\s*:\s*"|([A-Za-z_][\w-]*)=|(Bearer) )$/;

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Decoded JWTs in a text, named after the field that carries them. */
function jwtAttachments(where: string, text: string): ReportAttachment[] {
  const out: ReportAttachment[] = [];
  for (const m of text.matchAll(JWT_LIKE)) {
    const header = decodeSegment(m[1]!);
    const payload = decodeSegment(m[2]!);
    if (!header || !payload) continue;
    const before = FIELD_BEFORE.exec(text.slice(Math.max(0, m.index! - 80), m.index!));
    const field = before ? (before[1] ?? before[2] ?? "bearer token") : "token";
    const sig = m[3]!;
    const signature =
      sig === "<signature removed>" ? "removed from the report" : sig === "" ? "none (unsigned)" : "kept (REPORT_INCLUDE_TOKENS=true)";
    out.push({
      name: `${where} ${field} (JWT, signature ${sig === "<signature removed>" ? "removed" : sig === "" ? "absent" : "kept"})`,
      content: JSON.stringify({ header, claims: payload, signature }, null, 2),
      contentType: "application/json",
    });
  }
  return out;
}

/** `METHOD /path` of an exchange, to name its attachments. */
function shortName(x: Exchange): string {
  try {
    return `${x.request.method} ${new URL(x.request.url).pathname}`;
  } catch {
    return x.request.method;
  }
}

/** Request, response and decoded tokens of one redacted exchange, named after it. */
export function exchangeAttachments(x: Exchange): ReportAttachment[] {
  const req = x.request;
  const label = shortName(x);
  const reqBody = readableBody(req.body, contentTypeOf(req.headers));
  const request = [`${req.method} ${req.url}`, ...headerLines(req.headers), "", reqBody].join("\n");
  const attachments: ReportAttachment[] = [{ name: `${label} request`, content: request, contentType: "text/plain" }];
  let response: string;
  if (x.response) {
    const body = readableBody(x.response.body, contentTypeOf(x.response.headers));
    response = [`HTTP ${x.response.status}  (${x.durationMs} ms)`, ...headerLines(x.response.headers), "", body].join("\n");
  } else {
    response = `no response after ${x.durationMs} ms: ${x.error?.code ?? "error"} ${x.error?.message ?? ""}`.trim();
  }
  if (x.response && x.error) response += `\n\nerror while reading: ${x.error.code} ${x.error.message}`;
  attachments.push({ name: `${label} response${x.response ? ` ${x.response.status}` : ""}`, content: response, contentType: "text/plain" });
  attachments.push(...jwtAttachments(`${label} request`, [req.url, ...headerLines(req.headers), req.body ?? ""].join("\n")));
  if (x.response)
    attachments.push(...jwtAttachments(`${label} response`, [...headerLines(x.response.headers), x.response.body ?? ""].join("\n")));
  return attachments;
}
