/**
 * Captured artefacts: load a folder (`loadArtefacts`), decide whether a check can run over it (`artefactGate`, for `runCheck`),
 * and the helpers the artefact checks share. See docs/artefacts.md for the folder's contents.
 *
 * @example
 * ```ts
 * import { artefactGate, loadArtefacts } from "../lib/artefacts/index.ts"
 * import { runCheck } from "../lib/checks/run-check.ts"
 * import { ARTEFACT_CHECKS } from "../lib/checks/artefact-checks.ts"
 * const set = await loadArtefacts(process.env.ARTEFACTS_DIR)
 * for (const c of ARTEFACT_CHECKS) console.log(c.ids, await runCheck(c, set, artefactGate))
 * ```
 */
export type {
  Artefact,
  ArtefactExpectations,
  ArtefactSet,
  CapturedAnswer,
  CapturedToken,
  SigningKeys,
  UsersV2Capture,
  UsersV2Kind,
} from "./types.ts";
export type { ArtefactCheck, ArtefactNeed } from "./artefact-check.ts";
export { loadArtefacts, ARTEFACT_FILES, USERS_V2_FILE, MAX_USERS_V2_FILES, type LoadArtefactsOptions } from "./load-artefacts.ts";
export { artefactGate, needProblem } from "./artefact-gate.ts";
export { readCappedFile, MAX_ARTEFACT_BYTES } from "./read-capped-file.ts";
export { parseCapturedToken } from "./parse-captured-token.ts";
export { parseCapturedAnswer, isEnvelope } from "./parse-captured-answer.ts";
export { parseUsersV2Capture, usersV2KindOf } from "./parse-users-v2-capture.ts";
export { parseJwks } from "./parse-jwks.ts";
export { parseExpectations } from "./parse-expectations.ts";
export { resolveSigningKeys } from "./resolve-signing-keys.ts";
export { judgementTime, expiryNote, type JudgementTime } from "./judgement-time.ts";
export { usersV2Expectations, type UsersV2Expectations } from "./users-v2-expectations.ts";
export { expectedUsersV2Error } from "./expected-users-v2-error.ts";
export { bareTransport } from "./bare-transport.ts";
