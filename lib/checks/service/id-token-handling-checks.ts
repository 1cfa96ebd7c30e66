/**
 * The ID-token handling checks as data: one per ID-token fault of the simulator's catalogue
 * (FED-IDT-*, FED-JWT-*, VOT-*). Adding a fault to the catalogue adds a check.
 */
import { FAULTS, ID_TOKEN_FAULT_IDS } from "../../simulator/faults.ts";
import type { ServiceCheck } from "./service-check.ts";
import { faultSignIn } from "./scenarios.ts";
import { idTokenFaultFindings, idTokenFaultIds } from "./id-token-handling.ts";

export const ID_TOKEN_HANDLING_CHECKS: readonly ServiceCheck[] = ID_TOKEN_FAULT_IDS.map((fault) => ({
  key: fault,
  ids: idTokenFaultIds(fault),
  title: `no sign-in, and a page, when NHS login sends: ${FAULTS[fault].title} (${fault})`,
  area: "ID token handling",
  run: async (ctx) => idTokenFaultFindings(fault, await faultSignIn(ctx, fault)),
}));
