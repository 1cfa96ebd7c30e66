/**
 * The authorization-error checks as data (FED-ARESP-*, FED-AUTHZ-04, CONSENT-*).
 */
import type { ServiceCheck } from "./service-check.ts";
import { authorizationError, codeReplay, forgedCallback, type AuthorizationErrorKind } from "./scenarios.ts";
import { authorizationErrorFindings, codeReplayFindings, ERROR_SCENARIO_IDS, forgedCallbackFindings } from "./error-handling.ts";

const area = "Authorization errors";

const TITLES: Record<string, string> = {
  access_denied: "error=access_denied (no consent) shows the no-consent screen, no session",
  invalid_scope: "error=invalid_scope shows an error page, no session",
  sso_login_required: "error=sso_login_required shows a page or falls back to an interactive sign-in, without looping",
  server_error: "error=server_error shows a try-again page, no session",
  temporarily_unavailable: "error=temporarily_unavailable shows a try-again page, no session",
  "unknown-error": "an undefined error code shows an error page, no session, error_description escaped",
  "state-missing": "a response without state is refused without redeeming the code",
  "state-wrong": "a response with another state is refused without redeeming the code",
};

export const ERROR_HANDLING_CHECKS: readonly ServiceCheck[] = [
  ...(Object.keys(ERROR_SCENARIO_IDS) as AuthorizationErrorKind[]).map((kind) => ({
    key: `error:${kind}`,
    ids: [...ERROR_SCENARIO_IDS[kind]!],
    title: TITLES[kind]!,
    area,
    run: async (ctx: Parameters<ServiceCheck["run"]>[0]) => authorizationErrorFindings(kind, await authorizationError(ctx, kind)),
  })),
  {
    key: "callback-forged-tokens",
    ids: ["FED-ARESP-14"],
    title: "an id_token and access_token added to the callback establish no identity (only the code is used)",
    area,
    run: async (ctx) => forgedCallbackFindings(await forgedCallback(ctx)),
  },
  {
    key: "code-replay",
    ids: ["FED-ARESP-04", "FED-ARESP-03"],
    title: "a callback replayed (same browser, then another) redeems no code again and signs no one in",
    area,
    run: async (ctx) => codeReplayFindings(await codeReplay(ctx)),
  },
];
