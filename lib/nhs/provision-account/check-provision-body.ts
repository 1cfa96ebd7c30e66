/**
 * The Provision Account request body's rules (PA §3.3.1 T7; PA-06..10), written once: the
 * simulator refuses a body that breaks one with 11010, and the consumer checks judge what a
 * service sent with the same rules. Readings of catalogue A38: the date is a real ISO date, the
 * ODS code is a letter and 5 or 6 digits (the text says 6, the example has 5), the mobile is E.164
 * (a UK mobile is `+447` and 9 digits; any other country code is only a warning).
 *
 * @example
 * ```ts
 * checkProvisionBody({ nhs_number: "9990010013", email_address: "a@b.c", date_of_birth: "1993-17-12",
 *   ods_code: "A12345", phone_number: "+447700900105" })
 * // [{ field: "date_of_birth", requirement: "PA-08", status: "failed", problem: "1993-17-12 is not a real date" }]
 * ```
 */
import { isValidNhsNumber } from "../nhs-number.ts";
import { isEmailShaped } from "../email.ts";

/** T7's five fields, in the spec's order, with the row each answers to. */
export const PA_BODY_FIELDS = {
  nhs_number: "PA-06",
  email_address: "PA-07",
  date_of_birth: "PA-08",
  ods_code: "PA-09",
  phone_number: "PA-10",
} as const;
export type PaBodyField = keyof typeof PA_BODY_FIELDS;

export interface BodyProblem {
  field: PaBodyField;
  requirement: (typeof PA_BODY_FIELDS)[PaBodyField];
  /** `failed` breaks T7; `warning` is allowed but unusual (a mobile outside the UK). */
  status: "failed" | "warning";
  problem: string;
}

/** ODS code: a letter and 5 or 6 digits (lenient to the spec's own example, A38). */
export const ODS_CODE_PATTERN = /^[A-Z]\d{5,6}$/;
/** E.164: a plus and 7 to 15 digits. */
export const E164_PATTERN = /^\+\d{7,15}$/;
/** A UK mobile number in E.164. */
export const UK_MOBILE_PATTERN = /^\+447\d{9}$/;

/** True for `YYYY-MM-DD` naming a day that exists (no 1993-17-12, no 2023-02-29). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Every rule `body` breaks; an empty list when it meets T7. `now` (ms) dates the birth-date check. */
export function checkProvisionBody(body: unknown, now = Date.now()): BodyProblem[] {
  const b = (body !== null && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const out: BodyProblem[] = [];
  const fail = (field: PaBodyField, problem: string, status: BodyProblem["status"] = "failed") =>
    out.push({ field, requirement: PA_BODY_FIELDS[field], status, problem });
  const show = (v: unknown) => JSON.stringify(v);
  for (const field of Object.keys(PA_BODY_FIELDS) as PaBodyField[]) {
    const v = b[field];
    if (v === undefined || v === null || v === "") {
      fail(field, `${field} is missing; it is mandatory`);
      continue;
    }
    if (typeof v !== "string") {
      fail(field, `${field} is ${show(v)}, not a string`);
      continue;
    }
    if (field === "nhs_number" && !isValidNhsNumber(v)) fail(field, `nhs_number ${show(v)} is not 10 digits with a valid check digit`);
    if (field === "email_address" && !isEmailShaped(v)) fail(field, `email_address ${show(v)} is not an email address`);
    if (field === "date_of_birth") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) fail(field, `date_of_birth ${show(v)} is not in YYYY-MM-DD format`);
      else if (!isIsoDate(v)) fail(field, `date_of_birth ${show(v)} is not a real date`);
      else if (Date.parse(`${v}T00:00:00Z`) > now) fail(field, `date_of_birth ${show(v)} is in the future`);
    }
    if (field === "ods_code" && !ODS_CODE_PATTERN.test(v)) fail(field, `ods_code ${show(v)} is not a letter followed by 5 or 6 digits`);
    if (field === "phone_number") {
      if (!E164_PATTERN.test(v)) fail(field, `phone_number ${show(v)} does not start with + and a country code (E.164)`);
      else if (!UK_MOBILE_PATTERN.test(v)) fail(field, `phone_number ${show(v)} is not a UK mobile number (+447 and 9 digits)`, "warning");
    }
  }
  return out;
}
