/**
 * Provision Account defects: an NHS login environment that breaks a PA-P rule, each as hooks, so
 * that every Provision Account environment check can be shown to fail. (The token endpoint's own
 * defects, e.g. `token-lax-client-auth` or `token-no-cache-headers`, break the PA token rules too.)
 *
 * @example
 * ```ts
 * await sim.setDefects(["pa-pending-ignored"]) // a second request within 7 days is provisioned again
 * ```
 */
import type { FaultEntry } from "../faults.ts";
import type { Claims, Hooks, PaRules } from "../hooks/hook-points.ts";

/** Hooks that switch one provisioning rule off. */
const ruleOff = (name: keyof PaRules): Hooks => ({ paRules: (r) => ({ ...r, [name]: false }) });

export const PA_DEFECTS = {
  "pa-token-lifetime-wrong": {
    title: "Provision Account access tokens live 3600 s (expires_in and exp - iat)",
    requirements: ["PA-03", "TTL-06"],
    hooks: { paTokenLifetime: () => 3600 },
  },
  "pa-access-token-claims-wrong": {
    title: "Provision Account access tokens name the issuer as aud and carry no iat",
    requirements: ["PA-03"],
    hooks: {
      paAccessTokenClaims: (c: Claims) => {
        const { iat: _iat, ...rest } = c;
        return { ...rest, aud: c.iss };
      },
    },
  },
  "pa-body-unchecked": {
    title: "provisioning requests are not validated: a missing or malformed field is provisioned",
    requirements: ["PA-06", "PA-08", "PA-14"],
    hooks: ruleOff("body"),
  },
  "pa-ods-unchecked": {
    title: "provisioning requests are served for any ODS code",
    requirements: ["PA-15"],
    hooks: ruleOff("odsCode"),
  },
  "pa-p9-uplifted": {
    title: "a person who already has a P9 account is answered uplift, not 11005",
    requirements: ["PA-18"],
    hooks: ruleOff("alreadyP9"),
  },
  "pa-email-in-use-ignored": {
    title: "an email another account uses is provisioned again, not refused 11004",
    requirements: ["PA-19"],
    hooks: ruleOff("emailInUse"),
  },
  "pa-pending-ignored": {
    title: "a second request for the same person within 7 days is provisioned again, not refused 11003",
    requirements: ["PA-20"],
    hooks: ruleOff("pending"),
  },
  "pa-success-code-wrong": {
    title: 'successful provisioning answers code "created", outside T9',
    requirements: ["PA-11"],
    hooks: { paSuccessBody: (b: Claims) => ({ ...b, code: "created" }) },
  },
  "pa-error-shape-wrong": {
    title: "provisioning errors answer {errorCode: <number>, message} instead of {code, description}",
    requirements: ["PA-12"],
    hooks: { paErrorBody: (b: Claims) => ({ errorCode: Number(b.code), message: b.description }) },
  },
} as const satisfies Record<string, FaultEntry>;
