/**
 * The Users V2 lookups the consumer checks observe: each a few calls of the service's lookup hook
 * with a consumer fault armed in the simulator, as data. Results are cached per context, so the
 * checks that read the same lookup share one run.
 *
 * @example
 * ```ts
 * const obs = await lookup(ctx, "500")  // the hook asked once, every search answered 500
 * obs.searches.length                   // how many times the service tried
 * ```
 */
import { findPersona } from "../../simulator/personas.ts";
import type { FaultId } from "../../simulator/faults.ts";
import { SLOW_ANSWER_MS } from "../../simulator/users-v2/consumer-faults.ts";
import type { ServiceContext } from "./service-context.ts";
import { PROBE_NHS_NUMBER } from "../users-v2/requests.ts";
import { usersV2Observation, type UsersV2Observation } from "./users-v2-consumer.ts";

const P9 = findPersona("p9")!;
const P9_NHS_NUMBER = P9.nhsNumber!;

/** The person every lookup asks for (a simulator persona), and probes derived from it. */
export const LOOKUP_PERSON = Object.freeze({
  nhsNumber: P9_NHS_NUMBER,
  email: P9.email,
  /** The same NHS number with its check digit changed: invalid by modulus 11. */
  badNhsNumber: `${P9_NHS_NUMBER.slice(0, 9)}${(Number(P9_NHS_NUMBER[9]) + 1) % 10}`,
  /** An email with a `+`, which a query left unencoded turns into a space. Nobody has it. */
  plusEmail: P9.email.replace("@", "+conformance@"),
  /** Five digits: not an NHS number at all. */
  shortNhsNumber: P9_NHS_NUMBER.slice(0, 5),
  badEmail: "not-an-email",
  /** A checksum-valid NHS number no persona has. */
  nobody: PROBE_NHS_NUMBER,
});

interface Step {
  query?: { nhsNumber?: string; email?: string };
  /** Wait before the next step (ms). */
  waitMs?: number;
}

interface LookupPlan {
  label: string;
  /**
   * First one plain lookup, not judged, so that the service holds an access token this simulator
   * knows (its cached one died with the last reset); what follows is judged on its own. Without
   * it, the judged part starts with whatever token the service kept.
   */
  warmUp?: boolean;
  /** Armed before the first step; `times: null` keeps it armed for every request. */
  arm?: { faults: FaultId[]; times: number | null };
  steps: Step[];
}

const byNhsNumber = { query: { nhsNumber: LOOKUP_PERSON.nhsNumber } };

export const LOOKUPS = {
  "nhs-number": { label: "lookup by NHS number", steps: [byNhsNumber] },
  "plus-email": { label: `lookup by email ${LOOKUP_PERSON.plusEmail}`, steps: [{ query: { email: LOOKUP_PERSON.plusEmail } }] },
  both: {
    label: "lookup by NHS number and email",
    steps: [{ query: { nhsNumber: LOOKUP_PERSON.nhsNumber, email: LOOKUP_PERSON.email } }],
  },
  reuse: { label: "two lookups in a row", warmUp: true, steps: [byNhsNumber, byNhsNumber] },
  expiry: {
    label: "two lookups 2.2 s apart, the first token issued with expires_in 2",
    arm: { faults: ["uev2-token-short-lived"], times: 1 },
    steps: [{ ...byNhsNumber, waitMs: 2200 }, byNhsNumber],
  },
  "401": { label: "lookup answered 401 once", warmUp: true, arm: { faults: ["uev2-answer-401"], times: 1 }, steps: [byNhsNumber] },
  "400": {
    label: "lookup answered 400 Invalid syntax",
    warmUp: true,
    arm: { faults: ["uev2-answer:invalidSyntax"], times: null },
    steps: [byNhsNumber],
  },
  "403": {
    label: "lookup answered 403 Scope required",
    warmUp: true,
    arm: { faults: ["uev2-answer:scopeRequired"], times: null },
    steps: [byNhsNumber],
  },
  "500": {
    label: 'lookup answered 500 {"error": "Internal server error"} every time',
    warmUp: true,
    arm: { faults: ["uev2-answer:internal"], times: null },
    steps: [byNhsNumber],
  },
  "not-json": {
    label: "lookup answered 200 with HTML",
    warmUp: true,
    arm: { faults: ["uev2-answer-not-json"], times: null },
    steps: [byNhsNumber],
  },
  slow: {
    label: `lookup answered after ${SLOW_ANSWER_MS / 1000} s every time`,
    warmUp: true,
    arm: { faults: ["uev2-answer-slow"], times: null },
    steps: [byNhsNumber],
  },
  opaque: {
    label: "lookup whose access token is opaque (not a JWT)",
    arm: { faults: ["uev2-token-opaque"], times: null },
    steps: [byNhsNumber],
  },
  several: {
    label: "lookup finding two users",
    warmUp: true,
    arm: { faults: ["uev2-answer-several-users"], times: null },
    steps: [byNhsNumber],
  },
  "unknown-attributes": {
    label: "lookup answered with unknown attributes",
    warmUp: true,
    arm: { faults: ["uev2-answer-unknown-attributes"], times: null },
    steps: [byNhsNumber],
  },
  minimal: {
    label: "lookup answered without optional attributes",
    warmUp: true,
    arm: { faults: ["uev2-answer-minimal"], times: null },
    steps: [byNhsNumber],
  },
  "bad-nhs-number": {
    label: `lookup by ${LOOKUP_PERSON.badNhsNumber} (wrong check digit)`,
    steps: [{ query: { nhsNumber: LOOKUP_PERSON.badNhsNumber } }],
  },
  "short-nhs-number": {
    label: `lookup by ${P9_NHS_NUMBER.slice(0, 5)} (not 10 digits)`,
    steps: [{ query: { nhsNumber: P9_NHS_NUMBER.slice(0, 5) } }],
  },
  "bad-email": { label: "lookup by not-an-email", steps: [{ query: { email: "not-an-email" } }] },
  nobody: { label: `lookup by ${PROBE_NHS_NUMBER} (nobody has it)`, steps: [{ query: { nhsNumber: PROBE_NHS_NUMBER } }] },
  "token-refused": {
    label: "lookup whose token request is refused invalid_client",
    arm: { faults: ["uev2-token-invalid-client"], times: null },
    steps: [byNhsNumber],
  },
} as const satisfies Record<string, LookupPlan>;

export type LookupName = keyof typeof LOOKUPS;

/** Run one planned lookup (once per context) and return what was seen. */
export function lookup(ctx: ServiceContext, name: LookupName): Promise<UsersV2Observation & { all: UsersV2Observation }> {
  const plan: LookupPlan = LOOKUPS[name];
  return ctx.scenario(
    `users-v2:${name}`,
    async (s) => {
      const armed = plan.arm ? ` (${plan.arm.faults.join(", ")} armed)` : "";
      const warmUp = plan.warmUp ? await s.usersLookup(byNhsNumber.query) : undefined;
      const before = plan.warmUp ? await s.events() : [];
      if (plan.arm) await s.arm({ faults: plan.arm.faults, times: plan.arm.times });
      const answers = [];
      for (const step of plan.steps) {
        if (step.query) answers.push(await s.usersLookup(step.query));
        if (step.waitMs) await new Promise((r) => setTimeout(r, step.waitMs));
      }
      const events = await s.events();
      const obs = usersV2Observation(events.slice(before.length), answers, `${plan.label}${armed}`);
      return {
        ...obs,
        all: usersV2Observation(events, warmUp ? [warmUp, ...answers] : answers, `${plan.label}${armed}, warm-up included`),
      };
    },
    { signIn: false },
  );
}
