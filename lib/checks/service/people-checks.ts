/**
 * The checks that sign in as a particular simulated person (NHSNO-03: an NHS number starting
 * with a zero), as data.
 */
import { findPersona } from "../../simulator/personas.ts";
import type { ServiceCheck } from "./service-check.ts";
import { nhsNumberShownFindings } from "./nhs-number-shown.ts";
import { personSignIn } from "./scenarios.ts";

/** The simulated person whose NHS number starts with a zero. */
const ZERO = findPersona("p9-zero")!;

export const PEOPLE_CHECKS: readonly ServiceCheck[] = [
  {
    key: "nhs-number-leading-zero",
    ids: ["NHSNO-03"],
    title: `an NHS number starting with a zero (${ZERO.nhsNumber}) is shown as the same 10-digit string`,
    area: "People",
    run: async (ctx) => nhsNumberShownFindings(await personSignIn(ctx, ZERO.id), ZERO.nhsNumber!),
  },
];
