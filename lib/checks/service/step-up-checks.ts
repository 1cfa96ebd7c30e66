/**
 * The step-up checks as data (VOT-11, STEPUP-02, STEPUP-05, VOT-13): a P5 session opening the
 * service's feature for P9 users (SERVICE_STEP_UP_URL), and NHS login answering the step-up
 * with the same person at P9, another person, or the same person still at P5.
 */
import type { ServiceCheck } from "./service-check.ts";
import { stepUp } from "./step-up-scenario.ts";
import { stepUpOtherPersonFindings, stepUpRequestFindings, stepUpVotFindings } from "./step-up.ts";

const area = "Step-up";

const MANUAL =
  "Sign in with a P5 account and open a feature for P9 users: the service must send you to NHS login with P9 vectors only " +
  "and, once verified, show the feature to the same person.";

export const STEP_UP_CHECKS: readonly ServiceCheck[] = [
  {
    key: "step-up",
    ids: ["VOT-11", "STEPUP-02", "STEPUP-05"],
    title: "a P5 user opening a P9 feature is sent to step up (P9 vectors only), and the same person's session moves to P9",
    area,
    needs: ["step-up"],
    manual: MANUAL,
    run: async (ctx) => stepUpRequestFindings(await stepUp(ctx, "uplift"), ctx.target.vtr),
  },
  {
    key: "step-up-other-person",
    ids: ["STEPUP-05"],
    title: "a step-up that returns another person does not raise the session",
    area,
    needs: ["step-up"],
    manual: MANUAL,
    run: async (ctx) => stepUpOtherPersonFindings(await stepUp(ctx, "other-person"), ctx.target.vtr),
  },
  {
    key: "step-up-vot",
    ids: ["VOT-13"],
    title: "a step-up's vot is checked against that request's vtr (P5 coming back for P9 raises nothing)",
    area,
    needs: ["step-up"],
    manual: MANUAL,
    run: async (ctx) => stepUpVotFindings(await stepUp(ctx, "vot-below"), ctx.target.vtr),
  },
];
