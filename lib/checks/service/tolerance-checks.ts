/**
 * The tolerance checks as data: one per addition of the fault table a service must ignore
 * (kind "tolerated": FED-JWT-04, FED-IDT-16, FED-AT-09, FED-UI-06). Adding such a fault adds a check.
 */
import { FAULTS, TOLERATED_FAULT_IDS } from "../../simulator/faults.ts";
import type { ServiceCheck } from "./service-check.ts";
import { faultSignIn } from "./scenarios.ts";
import { toleranceFindings, toleranceIds, viaUserinfo } from "./tolerance.ts";

export const TOLERANCE_CHECKS: readonly ServiceCheck[] = TOLERATED_FAULT_IDS.map((fault) => ({
  key: fault,
  ids: toleranceIds(fault),
  title: `signs in although NHS login adds what the service does not know: ${FAULTS[fault].title} (${fault})`,
  area: "Tolerance of additions",
  ...(viaUserinfo(fault) ? { needs: ["userinfo" as const] } : {}),
  run: async (ctx) => toleranceFindings(fault, await faultSignIn(ctx, fault)),
}));
