/**
 * The Provision Account consumer checks as data: the service provisions patients through its hook
 * (SERVICE_PROVISION_URL) while the simulator answers, sometimes with a fault armed, and records
 * every token request and provisioning request. Skipped without the hook.
 */
import type { ServiceCheck } from "./service-check.ts";
import { PA_GENERIC_CODES, type PaErrorCode } from "../../nhs/provision-account/codes.ts";
import { provisioning, type ProvisioningName } from "./provision-account-scenarios.ts";
import {
  PA_BODY_IDS,
  PA_TOKEN_IDS,
  paBodyFindings,
  paErrorFindings,
  paJtiFindings,
  paOutcomeFindings,
  paRawDescriptionFindings,
  paRequestFindings,
  paTokenRequestFindings,
  paTokenExpiryFindings,
  paTokenReuseFindings,
} from "./provision-account-consumer.ts";

const AREA = "Provision Account consumer";
const NEEDS = ["provision"] as const;

/** One check per T11 code the consumer must handle by itself (the generic group is one check). */
const errorCheck = (key: string, id: string, title: string, codes: readonly PaErrorCode[]): ServiceCheck => ({
  key,
  ids: [id],
  title,
  area: AREA,
  needs: NEEDS,
  run: async (ctx) => {
    const out = [];
    for (const code of codes) out.push(...paErrorFindings(await provisioning(ctx, code), { code, fault: `pa-answer:${code}` }));
    return out;
  },
});

/** Every scenario whose answer was an error, for PA-21. */
const ERROR_SCENARIOS: readonly ProvisioningName[] = ["11000", "11010", "11021", "11011", "11005", "11004", "11003", ...PA_GENERIC_CODES];

export const PROVISION_ACCOUNT_CONSUMER_CHECKS: readonly ServiceCheck[] = [
  {
    key: "pa-token-request",
    ids: PA_TOKEN_IDS,
    title: "the token request is a form POST of client_credentials with an RS512 client assertion for this client and the token endpoint",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => {
      const { tokenEndpoint } = await ctx.endpoints();
      return paTokenRequestFindings(await provisioning(ctx, "create"), { clientId: ctx.target.clientId, tokenEndpoint });
    },
  },
  {
    key: "pa-request",
    ids: ["PA-05"],
    title: "provisioning requests are POST /provision-account with a Bearer token and a JSON body",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => paRequestFindings([await provisioning(ctx, "create"), await provisioning(ctx, "uplift")]),
  },
  {
    key: "pa-body",
    ids: PA_BODY_IDS,
    title: "every body sent has T7's fields in their formats (NHS number, email, ISO date, the organisation's ODS code, E.164 mobile)",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      paBodyFindings(
        [
          await provisioning(ctx, "create"),
          await provisioning(ctx, "staff-typed"),
          await provisioning(ctx, "bad-nhs-number"),
          await provisioning(ctx, "bad-email"),
        ],
        ctx.target.odsCode,
      ),
  },
  {
    key: "pa-outcomes",
    ids: ["PA-11"],
    title: "a create is reported as a new account and an uplift as an uplifted one",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => [
      ...paOutcomeFindings(await provisioning(ctx, "create"), "created"),
      ...paOutcomeFindings(await provisioning(ctx, "uplift"), "uplifted"),
    ],
  },
  {
    key: "pa-on-unavailable",
    ids: ["PA-13"],
    title: "11000, a 500 and a timeout are retried with backoff a bounded number of times, then reported as unavailable",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => [
      ...paErrorFindings(await provisioning(ctx, "11000"), { code: "11000", fault: "pa-answer:11000" }),
      ...paErrorFindings(await provisioning(ctx, "500"), { code: "500", fault: "pa-answer-500" }),
      ...paErrorFindings(await provisioning(ctx, "slow"), { code: "timeout", fault: "pa-answer-slow" }),
    ],
  },
  errorCheck("pa-on-11010", "PA-14", "11010 (data not valid) is not retried and is reported as an input error", ["11010"]),
  errorCheck("pa-on-11021", "PA-15", "11021 (ODS code not supported) is not retried and is reported as configuration", ["11021"]),
  errorCheck("pa-on-11011", "PA-16", "11011 (too many requests) is never retried in a tight loop", ["11011"]),
  errorCheck(
    "pa-on-cannot-provision",
    "PA-17",
    "each code of the 'unable to provision' group is reported as such, without a retry",
    PA_GENERIC_CODES,
  ),
  errorCheck("pa-on-11005", "PA-18", "11005 tells staff the patient already has a P9 account", ["11005"]),
  errorCheck("pa-on-11004", "PA-19", "11004 asks staff for a different email", ["11004"]),
  errorCheck("pa-on-11003", "PA-20", "11003 tells staff a request is pending, without a retry", ["11003"]),
  {
    key: "pa-raw-description",
    ids: ["PA-21"],
    title: "staff are shown the service's own words after an error, never NHS login's description",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => {
      const observations = [];
      for (const name of ERROR_SCENARIOS) observations.push(await provisioning(ctx, name));
      return paRawDescriptionFindings(observations);
    },
  },
  // Last: by now the run's first token (2 s) has long expired, so `renewal` need not wait.
  {
    key: "pa-assertion-jti",
    ids: ["PA-02"],
    title: "every client assertion has its own jti",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) =>
      paJtiFindings([
        await provisioning(ctx, "create"),
        await provisioning(ctx, "uplift"),
        await provisioning(ctx, "two-in-a-row"),
        await provisioning(ctx, "renewal"),
      ]),
  },
  {
    key: "pa-token-reuse",
    ids: ["PA-03"],
    title: "the access token is reused for provisioning requests while it is valid, and not presented once it has expired",
    area: AREA,
    needs: NEEDS,
    run: async (ctx) => [
      ...paTokenReuseFindings(await provisioning(ctx, "two-in-a-row")),
      ...paTokenExpiryFindings(await provisioning(ctx, "create"), await provisioning(ctx, "renewal")),
    ],
  },
];
