/**
 * Read a `users-v2-*.json` capture and tell what it is from its body: a token response
 * (`access_token`), a search answer (a ListResponse: `schemas` with the ListResponse URN, or
 * `totalResults`) or an error (`Errors`, or a bare `{description, code}` in an envelope with a
 * 4xx/5xx status). A bare body's status is inferred: 200 for a token response or ListResponse,
 * the `code` inside `Errors[0]` for an error. Anything else is unreadable, with the reason.
 *
 * @example
 * ```ts
 * parseUsersV2Capture('{"Errors":[{"description":"Invalid syntax","code":"400"}]}', "users-v2-error.json")
 * // { state: "ok", value: { kind: "error", form: "bare", status: 400, ... } }
 * ```
 */
import { LIST_RESPONSE_SCHEMA } from "../nhs/constants.ts";
import { parseCapturedAnswer } from "./parse-captured-answer.ts";
import type { Artefact, UsersV2Capture, UsersV2Kind } from "./types.ts";
import { isObject } from "../json/is-object.ts";

/** The kind of a Users V2 body, or undefined when it is none of the three. */
export function usersV2KindOf(body: unknown, status?: number): UsersV2Kind | undefined {
  if (!isObject(body)) return undefined;
  if ("access_token" in body) return "token-response";
  if ((Array.isArray(body.schemas) && body.schemas.includes(LIST_RESPONSE_SCHEMA)) || "totalResults" in body) return "list-response";
  if ("Errors" in body) return "error";
  if (status !== undefined && status >= 400 && typeof body.description === "string") return "error";
  return undefined;
}

const NOT_KNOWN = "the body is neither a token response (access_token), a ListResponse (schemas, totalResults) nor an error (Errors)";

function bareStatus(body: unknown): number | { reason: string } {
  const kind = usersV2KindOf(body);
  if (kind === undefined) return { reason: NOT_KNOWN };
  if (kind !== "error") return 200;
  const errors = (body as Record<string, unknown>).Errors;
  const code = Array.isArray(errors) && isObject(errors[0]) ? errors[0].code : undefined;
  const status =
    typeof code === "string" && /^[45]\d\d$/.test(code)
      ? Number(code)
      : typeof code === "number" && code >= 400 && code <= 599
        ? code
        : undefined;
  if (status === undefined)
    return {
      reason:
        `a bare error body whose Errors[0].code ${JSON.stringify(code ?? null)} tells no HTTP status; ` +
        "capture it as an envelope { status, body }",
    };
  return status;
}

export function parseUsersV2Capture(source: string, file: string): Artefact<UsersV2Capture> {
  const answer = parseCapturedAnswer(source, file, bareStatus);
  if (answer.state !== "ok") return answer;
  const kind = usersV2KindOf(answer.value.body, answer.value.status);
  if (kind === undefined) return { state: "unreadable", file, reason: `${file}: ${NOT_KNOWN}` };
  return { state: "ok", file, value: { ...answer.value, kind } };
}
