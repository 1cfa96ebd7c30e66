/**
 * The Provision Account answers (PA §3.3.2 T9, §3.3.3 T11), defined once for the simulator, the
 * environment checks and the consumer checks: the two success codes and every error code with its
 * description and the catalogue row that names it. Codes are compared trimmed (the spec's example
 * sends `" 11004"` with a leading space; catalogue A38).
 *
 * @example
 * ```ts
 * PA_ERRORS["11003"].requirement      // "PA-20"
 * paErrorCode({ code: " 11004" })     // "11004"
 * ```
 */

/** T9: what a successful provisioning request answers. */
export const PA_SUCCESS = {
  create: "User able to create a new account",
  uplift: "User able to uplift an existing account",
} as const;
export type PaSuccessCode = keyof typeof PA_SUCCESS;

/** How a consumer should treat an error code (the C side of PA-13..20). */
export type PaErrorClass =
  | "unavailable"
  | "input"
  | "configuration"
  | "too-many-requests"
  | "cannot-provision"
  | "already-p9"
  | "email-in-use"
  | "pending";

interface PaErrorRow {
  description: string;
  requirement: string;
  errorClass: PaErrorClass;
  /** Whether a consumer may try the same request again (after a wait). */
  retriable: boolean;
}

const generic = {
  description: "Unable to provision account for user",
  requirement: "PA-17",
  errorClass: "cannot-provision",
  retriable: false,
} as const;

/** T11: every error code. */
export const PA_ERRORS = {
  "11000": { description: "Service not available.", requirement: "PA-13", errorClass: "unavailable", retriable: true },
  "11010": { description: "Data in request not valid", requirement: "PA-14", errorClass: "input", retriable: false },
  "11021": {
    description: "Service not supported for ODS code provided",
    requirement: "PA-15",
    errorClass: "configuration",
    retriable: false,
  },
  "11011": { description: "Too many requests from ODS code", requirement: "PA-16", errorClass: "too-many-requests", retriable: true },
  "11001": generic,
  "11002": generic,
  "11006": generic,
  "11007": generic,
  "11008": generic,
  "11009": generic,
  "11018": generic,
  "11019": generic,
  "11005": { description: "User already has P9 account", requirement: "PA-18", errorClass: "already-p9", retriable: false },
  "11004": {
    description: "Unable to provision account for user email already in use",
    requirement: "PA-19",
    errorClass: "email-in-use",
    retriable: false,
  },
  "11003": {
    description: "User already has a pending provision account request from within last 7 days.",
    requirement: "PA-20",
    errorClass: "pending",
    retriable: false,
  },
} as const satisfies Record<string, PaErrorRow>;
export type PaErrorCode = keyof typeof PA_ERRORS;
export const PA_ERROR_CODES = Object.freeze(Object.keys(PA_ERRORS) as PaErrorCode[]);
/** The "unable to provision" group of PA-17. */
export const PA_GENERIC_CODES = Object.freeze(PA_ERROR_CODES.filter((c) => PA_ERRORS[c].requirement === "PA-17"));

/** True when `value` names a T11 code. */
export function isPaErrorCode(value: unknown): value is PaErrorCode {
  return typeof value === "string" && Object.hasOwn(PA_ERRORS, value);
}

/** The error code of an answer body, trimmed (A38), or undefined when it has none that is a string. */
export function paErrorCode(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code.trim() : undefined;
}

/** The Provision Account endpoint's path (PA §3.3). */
export const PROVISION_ACCOUNT_PATH = "/provision-account";

/** The lifetime of a Provision Account access token, in seconds (PA §3.1; TTL-06). */
export const PA_ACCESS_TOKEN_SECONDS = 300;

/** The window in which a second request for the same person is refused with 11003 (PA-20), in seconds. */
export const PA_PENDING_SECONDS = 7 * 24 * 3600;
