/**
 * The contract of an artefact check: a named judgement over a folder of captured artefacts,
 * citing the requirement IDs it verifies, run offline (only the issuer's JWKS may be fetched).
 * Like an environment check, but over an {@link ArtefactSet}; `needs` names the artefacts without
 * which it cannot say anything (a missing one skips it with the reason, an unreadable one fails it).
 *
 * @example
 * ```ts
 * const nonce: ArtefactCheck = {
 *   key: "fed-idt-08", ids: ["FED-IDT-08"], title: "the ID token nonce is the one sent", area: "ID token",
 *   needs: ["id-token", "expected"],
 *   run: (set) => nonceFindings(ok(set.idToken).payload, ok(set.expected).nonce),
 * }
 * ```
 */
import type { Check } from "../checks/check.ts";
import type { ArtefactSet, UsersV2Kind } from "./types.ts";

/** Artefacts a check may need: one file each, or a kind of `users-v2-*.json` capture. */
export type ArtefactNeed = "id-token" | "access-token" | "userinfo" | "expected" | "public-key" | `users-v2-${UsersV2Kind}`;

/** An artefact check: the one check contract over an {@link ArtefactSet}. */
export type ArtefactCheck = Check<ArtefactSet, ArtefactNeed>;
