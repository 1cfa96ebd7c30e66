/**
 * The provisionings the Provision Account consumer checks observe: each one or two calls of the
 * service's provisioning hook with a consumer fault armed in the simulator, as data. Results are
 * cached per context, so the checks that read the same scenario share one run. The patients are
 * test data: NHS numbers in the 999 range that pass the check digit, `.example.org` addresses and
 * Ofcom's drama mobile range; the uplift is the simulator's P5 persona.
 *
 * @example
 * ```ts
 * const obs = await provisioning(ctx, "11010")  // the hook asked once, every request answered 11010
 * obs.calls.length                               // how many times the service tried
 * ```
 */
import { findPersona } from "../../simulator/personas.ts";
import type { FaultId } from "../../simulator/faults.ts";
import { PA_GENERIC_CODES, type PaErrorCode } from "../../nhs/provision-account/codes.ts";
import { PA_SLOW_ANSWER_MS } from "../../simulator/provision-account/consumer-faults.ts";
import type { ProvisionHookRequest, ServiceContext } from "./service-context.ts";
import { provisionObservation, type ProvisionObservation } from "./provision-account-consumer.ts";

const P5 = findPersona("p5")!;

/** The patients the scenarios provision. */
export const PATIENTS = Object.freeze({
  /** Nobody NHS login knows: a create. */
  newPatient: { nhsNumber: "9990200009", email: "new.patient@example.org", dateOfBirth: "1990-05-17", phoneNumber: "+447700900201" },
  /** Another new patient, for two provisionings in a row. */
  secondPatient: { nhsNumber: "9990200017", email: "second.patient@example.org", dateOfBirth: "1985-11-02", phoneNumber: "+447700900202" },
  /** The simulator's P5 persona: an uplift. */
  existing: { nhsNumber: P5.nhsNumber!, email: P5.email, dateOfBirth: P5.birthdate!, phoneNumber: P5.phoneNumber },
  /** As staff type them: a date of birth DD/MM/YYYY, a mobile without its country code. */
  staffTyped: { nhsNumber: "9990200025", email: "typed.patient@example.org", dateOfBirth: "17/05/1990", phoneNumber: "07700 900203" },
  /** 9990200025 with its check digit changed: invalid by modulus 11. */
  badNhsNumber: { nhsNumber: "9990200026", email: "bad.number@example.org", dateOfBirth: "1990-05-17", phoneNumber: "+447700900204" },
  badEmail: { nhsNumber: "9990200033", email: "not-an-email", dateOfBirth: "1990-05-17", phoneNumber: "+447700900205" },
  /** The patient of the error scenarios (the armed fault answers before NHS login's own rules). */
  errorCase: { nhsNumber: "9990200041", email: "error.case@example.org", dateOfBirth: "1990-05-17", phoneNumber: "+447700900206" },
} satisfies Record<string, Required<ProvisionHookRequest>>);

interface ProvisionPlan {
  label: string;
  /** Armed before the first request; `times: null` keeps it armed for every request. */
  arm?: { faults: FaultId[]; times: number | null };
  /** Wait until this long after the `create` scenario ended before the first request (ms). */
  afterCreateMs?: number;
  requests: ProvisionHookRequest[];
}

/** How long the first token of a run lives (the `pa-token-short-lived` fault), and the wait past it. */
const SHORT_TOKEN_WAIT_MS = 2200;

const errorPlan = (code: PaErrorCode): ProvisionPlan => ({
  label: `provisioning answered ${code} every time`,
  arm: { faults: [`pa-answer:${code}`], times: null },
  requests: [PATIENTS.errorCase],
});

export const PROVISIONINGS = {
  // The run's first Provision Account token lives 2 s, so that a second token (its own jti) and the
  // handling of an expired token are seen in a run of a few seconds (see `renewal`).
  create: {
    label: `provisioning a new patient (${PATIENTS.newPatient.nhsNumber})`,
    arm: { faults: ["pa-token-short-lived"], times: 1 },
    requests: [PATIENTS.newPatient],
  },
  renewal: {
    label: `provisioning ${SHORT_TOKEN_WAIT_MS / 1000} s after the first, whose token lived 2 s`,
    afterCreateMs: SHORT_TOKEN_WAIT_MS,
    requests: [PATIENTS.secondPatient],
  },
  uplift: { label: `provisioning the P5 persona (${PATIENTS.existing.nhsNumber})`, requests: [PATIENTS.existing] },
  "two-in-a-row": { label: "provisioning two new patients in a row", requests: [PATIENTS.newPatient, PATIENTS.secondPatient] },
  "staff-typed": {
    label: `provisioning with a date of birth ${PATIENTS.staffTyped.dateOfBirth} and a mobile ${PATIENTS.staffTyped.phoneNumber}`,
    requests: [PATIENTS.staffTyped],
  },
  "bad-nhs-number": { label: `provisioning ${PATIENTS.badNhsNumber.nhsNumber} (wrong check digit)`, requests: [PATIENTS.badNhsNumber] },
  "bad-email": { label: `provisioning with the email ${PATIENTS.badEmail.email}`, requests: [PATIENTS.badEmail] },
  "500": { label: "provisioning answered 500 every time", arm: { faults: ["pa-answer-500"], times: null }, requests: [PATIENTS.errorCase] },
  slow: {
    label: `provisioning answered after ${PA_SLOW_ANSWER_MS / 1000} s every time`,
    arm: { faults: ["pa-answer-slow"], times: null },
    requests: [PATIENTS.errorCase],
  },
  ...(Object.fromEntries(
    (["11000", "11010", "11021", "11011", "11005", "11004", "11003", ...PA_GENERIC_CODES] as PaErrorCode[]).map((c) => [c, errorPlan(c)]),
  ) as Record<PaErrorCode, ProvisionPlan>),
} satisfies Record<string, ProvisionPlan>;

export type ProvisioningName = keyof typeof PROVISIONINGS;

/** When each context's `create` scenario ended (ms since the epoch). */
const createdAt = new WeakMap<ServiceContext, number>();

/**
 * Run one planned provisioning (once per context) and return what was seen. `create` runs first,
 * as a canary: when the service sends the simulator nothing for it, no other scenario is run (the
 * service may be wired to a real NHS login, which must not get the test data), and this throws
 * with the reason, which makes the check inconclusive.
 */
export async function provisioning(ctx: ServiceContext, name: ProvisioningName): Promise<ProvisionObservation> {
  if (name !== "create") {
    const canary = await provisioning(ctx, "create");
    if (canary.calls.length === 0 && canary.tokenRequests.length === 0)
      throw new Error(
        `the service sent the simulator nothing when asked to provision a new patient (${canary.label}); the other provisioning ` +
          "scenarios are not run, so that no test data reaches an NHS login the service may be wired to instead",
      );
  }
  const plan: ProvisionPlan = PROVISIONINGS[name];
  return ctx.scenario(
    `provision-account:${name}`,
    async (s) => {
      const armed = plan.arm ? `, ${plan.arm.faults.join(", ")} armed` : "";
      if (plan.arm) await s.arm({ faults: plan.arm.faults, times: plan.arm.times });
      const wait = plan.afterCreateMs === undefined ? 0 : (createdAt.get(ctx) ?? 0) + plan.afterCreateMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const answers = [];
      for (const request of plan.requests) answers.push(await s.provision(request));
      if (name === "create") createdAt.set(ctx, Date.now());
      return provisionObservation(await s.events(), answers, `${plan.label}${armed}`);
    },
    { signIn: false },
  );
}
