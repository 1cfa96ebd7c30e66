/**
 * Faults for a Provision Account *consumer* (the service under test calling `/token` with the
 * client_credentials grant and `POST /provision-account`), armed per call like the Users V2
 * consumer faults: a `pa-provision` fault changes the answer to the client's next provisioning
 * request(s), a `pa-token` fault its next client_credentials token request(s). Every T11 code is a
 * fault (`pa-answer:<code>`, answered 400 `{code, description}` as PA §3.3.3 shows), as are a 500,
 * a slow answer and a short-lived token.
 *
 * @example
 * ```ts
 * sim.arm({ faults: ["pa-answer:11011"], clientId, times: null }) // every provisioning request: too many requests
 * PA_CONSUMER_FAULTS["pa-answer:11000"].hooks.paAnswer?.(undefined, undefined)
 * // { status: 400, body: { code: "11000", description: "Service not available." } }
 * ```
 */
import type { Hooks } from "../hooks/hook-points.ts";
import { slowAnswer } from "../hooks/slow-answer.ts";
import { PA_ERROR_CODES, PA_ERRORS, type PaErrorCode } from "../../nhs/provision-account/codes.ts";

/** How long `pa-answer-slow` keeps a provisioning request waiting: past a consumer's timeout, if it has a short one. */
export const PA_SLOW_ANSWER_MS = 1200;

export interface PaFaultInfo {
  kind: "pa-provision" | "pa-token";
  title: string;
  requirements: readonly string[];
  hooks: Hooks;
}

/** The T11 answer for `code`. */
export function paErrorAnswer(code: PaErrorCode): { status: number; body: { code: string; description: string } } {
  return { status: 400, body: { code, description: PA_ERRORS[code].description } };
}

const CODE_FAULTS = Object.fromEntries(
  PA_ERROR_CODES.map((code) => [
    `pa-answer:${code}`,
    {
      kind: "pa-provision",
      title: `the provisioning request is answered 400 with T11's ${code} "${PA_ERRORS[code].description}"`,
      requirements: [PA_ERRORS[code].requirement, "PA-21"],
      hooks: { paAnswer: () => paErrorAnswer(code) },
    } satisfies PaFaultInfo,
  ]),
) as unknown as Record<`pa-answer:${PaErrorCode}`, PaFaultInfo>;

const OTHER_PA_FAULTS = {
  "pa-answer-500": {
    kind: "pa-provision",
    title: "the provisioning request is answered 500 with a body that is not T10's",
    requirements: ["PA-13"],
    hooks: { paAnswer: () => ({ status: 500, body: { message: "Internal Server Error" } }) },
  },
  "pa-answer-slow": {
    kind: "pa-provision",
    title: `the provisioning request is answered only after ${PA_SLOW_ANSWER_MS / 1000} s (or the arm request's delayMs)`,
    requirements: ["PA-13"],
    hooks: { answerDelayMs: slowAnswer("provision-account", PA_SLOW_ANSWER_MS) },
  },
  "pa-token-short-lived": {
    kind: "pa-token",
    title: "the client_credentials grant issues a token that lives 2 s (expires_in 2)",
    requirements: ["PA-03"],
    hooks: { paTokenLifetime: () => 2 },
  },
} as const satisfies Record<string, PaFaultInfo>;

/** Every Provision Account consumer fault, by id. */
export const PA_CONSUMER_FAULTS = Object.freeze({ ...CODE_FAULTS, ...OTHER_PA_FAULTS });
export type PaConsumerFaultId = keyof typeof PA_CONSUMER_FAULTS;
