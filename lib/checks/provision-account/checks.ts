/**
 * The Provision Account environment checks as data (the PA-P rows): the client_credentials token
 * and its refusals (PA-01..04, TTL-06), requests the environment must refuse, each with its T11
 * code (PA-06, PA-08, PA-12, PA-14, PA-15, PA-18, PA-19), then the one successful provisioning of
 * the test patient and its repeat (PA-11, PA-20). The refusals run first: on a correct environment
 * they change nothing, so the provisioning that follows is the run's first.
 *
 * Against a real environment these need Provision Account access (NHSLOGIN_PA_*); a successful
 * provisioning is only ever asked for the configured test patient (NHSLOGIN_PA_TEST_PATIENT), never
 * a real person; the answers that need accounts whose state the harness knows run on the simulator.
 *
 * @example
 * ```ts
 * for (const c of PROVISION_ACCOUNT_CHECKS) console.log(c.ids, await runCheck(c, env, environmentGate))
 * ```
 */
import { randomUUID } from "node:crypto";
import type { Capability, EnvironmentCheck, EnvironmentContext } from "../environment/environment-check.ts";
import { citedAs, Findings } from "../findings.ts";
import {
  describeReply,
  refusalFindings,
  tokenErrorFormatFindings,
  tokenReplyOf,
  type TokenProbe,
  type TokenReply,
} from "../token-endpoint/rules.ts";
import { PERSONAS } from "../../simulator/personas.ts";
import {
  paAccessToken,
  paAssertion,
  postPaToken,
  postProvision,
  provisionedTwice,
  testPatientBody,
  unusedTestNhsNumber,
} from "./requests.ts";
import { describePaAnswer, paErrorShapeFindings, paRefusedFindings, paSuccessFindings, paTokenResponseFindings } from "./rules.ts";
import { finding } from "../../requirements/index.ts";
import { paErrorCode } from "../../nhs/provision-account/codes.ts";

const AREA = "Provision Account";
const NEEDS: Capability[] = ["provision-account"];
const PATIENT: Capability[] = ["provision-account", "pa-test-patient"];

const probe = async (
  label: string,
  res: Promise<{ status: number; headers: Record<string, string>; text: string }>,
): Promise<TokenProbe> => ({
  label,
  reply: tokenReplyOf(await res),
});

/** The test patient's NHS number with its check digit changed: invalid by modulus 11. */
function badCheckDigit(nhsNumber: string): string {
  return `${nhsNumber.slice(0, 9)}${(Number(nhsNumber[9]) + 1) % 10}`;
}

/** An ODS code of the same shape that is not the client's: its last digit changed. */
function otherOdsCode(ods: string): string {
  return ods.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
}

/** A refused provisioning probe with the test patient's body changed by `change`. */
async function refusedProbe(env: EnvironmentContext, label: string, change: (body: Record<string, string>) => Record<string, unknown>) {
  return probe(label, postProvision(env, change(testPatientBody(env)), { token: await paAccessToken(env) }));
}

export const PROVISION_ACCOUNT_CHECKS: readonly EnvironmentCheck[] = [
  {
    key: "pa-token",
    ids: ["PA-03", "TTL-06"],
    title: "the client_credentials grant issues a 300 s JWT access token for the client, not to be cached",
    area: AREA,
    needs: NEEDS,
    run: async (env) => {
      const issuer = String((await env.discovery()).issuer ?? env.issuer);
      return paTokenResponseFindings(await probe("the client_credentials token request", postPaToken(env)), {
        issuer,
        clientId: env.provisionAccount!.clientId,
      });
    },
  },
  {
    key: "pa-token-refusals",
    ids: ["PA-01", "PA-02", "PA-04"],
    title: "a JSON token request, an RS256, replayed, mis-addressed or iss-not-sub assertion are refused with a Table 5 error",
    area: AREA,
    needs: NEEDS,
    run: async (env) => {
      // Used once (a token must be issued, or the replay proves nothing), then presented again.
      const replayed = await paAssertion(env);
      const firstUse = await probe("the client assertion, first used", postPaToken(env, { assertion: replayed }));
      const json = await probe("the token request sent as application/json", postPaToken(env, { json: true }));
      const assertions = [
        await probe("an RS256 client assertion", postPaToken(env, { assertionOptions: { alg: "RS256" } })),
        await probe("a client assertion whose aud is the issuer", postPaToken(env, { assertionOptions: { audience: env.issuer } })),
        await probe(
          'a client assertion whose sub is "John Doe"',
          postPaToken(env, { assertionOptions: { claims: { sub: "John Doe", jti: randomUUID() } } }),
        ),
      ];
      const replay = await probe("a client assertion whose jti was used already", postPaToken(env, { assertion: replayed }));
      const out = new Findings()
        .addAll(refusalFindings({ id: "PA-01", expected: ["invalid_request"], pastRuleCode: null }, [json]))
        .addAll(refusalFindings({ id: "PA-02", expected: ["invalid_client"], pastRuleCode: null }, assertions));
      if (firstUse.reply.status === 200)
        out.addAll(refusalFindings({ id: "PA-02", expected: ["invalid_client"], pastRuleCode: null }, [replay]));
      else out.inconclusive("PA-02", `replay not judged: the assertion's first use was refused (${describeReply(firstUse.reply)})`);
      const refusals = [json, ...assertions, replay].filter((p) => p.reply.status >= 400);
      if (refusals.length === 0)
        return out.inconclusive("PA-04", "no token request was refused, so no error answer could be judged").list();
      const format = tokenErrorFormatFindings(refusals);
      return out
        .addAll(citedAs(format, "FED-TRESP-09", ["PA-04"]))
        .addAll(citedAs(format, "FED-TRESP-10", ["PA-04"]))
        .list();
    },
  },
  {
    key: "pa-unsupported-ods",
    ids: ["PA-15"],
    title: "a provisioning request for an ODS code the client is not registered for is refused 11021",
    area: AREA,
    needs: PATIENT,
    run: async (env) => {
      const ods = otherOdsCode(env.provisionAccount!.odsCode);
      return paRefusedFindings(await refusedProbe(env, `the test patient with ODS code ${ods}`, (b) => ({ ...b, ods_code: ods })), {
        code: "11021",
        id: "PA-15",
      });
    },
  },
  {
    key: "pa-invalid-data",
    ids: ["PA-14", "PA-06", "PA-08", "PA-12"],
    title: "a body without nhs_number, with a wrong check digit, with the date 1993-17-12 or not JSON is refused 11010 {code, description}",
    area: AREA,
    needs: PATIENT,
    run: async (env) => {
      const token = await paAccessToken(env);
      const nhs = testPatientBody(env).nhs_number!;
      const missing = await refusedProbe(env, "the test patient without nhs_number", ({ nhs_number: _n, ...rest }) => rest);
      const digit = await refusedProbe(env, `nhs_number ${badCheckDigit(nhs)} (wrong check digit)`, (b) => ({
        ...b,
        nhs_number: badCheckDigit(nhs),
      }));
      const date = await refusedProbe(env, "date_of_birth 1993-17-12 (the spec's example, not a real date)", (b) => ({
        ...b,
        date_of_birth: "1993-17-12",
      }));
      const notJson = await probe("a body that is not JSON", postProvision(env, undefined, { token, raw: "{not json" }));
      const all = [missing, digit, date, notJson];
      return [
        ...paRefusedFindings(missing, { code: "11010", id: "PA-06" }),
        ...paRefusedFindings(digit, { code: "11010", id: "PA-06" }),
        ...paRefusedFindings(date, { code: "11010", id: "PA-08" }),
        ...all.flatMap((p) => paRefusedFindings(p, { code: "11010", id: "PA-14" })),
        ...paErrorShapeFindings(all.filter((p) => p.reply.status >= 400)),
      ];
    },
  },
  {
    key: "pa-already-p9",
    ids: ["PA-18"],
    title: "provisioning a person who already has a P9 account is refused 11005",
    area: AREA,
    needs: [...PATIENT, "pa-accounts"],
    run: async (env) => {
      const p9 = PERSONAS.find((p) => p.proofing === "P9" && p.nhsNumber)!;
      const label = `persona ${p9.id}'s NHS number ${p9.nhsNumber} (a P9 account)`;
      return paRefusedFindings(await refusedProbe(env, label, (b) => ({ ...b, nhs_number: p9.nhsNumber })), { code: "11005", id: "PA-18" });
    },
  },
  {
    key: "pa-email-in-use",
    ids: ["PA-19"],
    title: "provisioning a new person with an email another account uses is refused 11004",
    area: AREA,
    needs: [...PATIENT, "pa-accounts"],
    run: async (env) => {
      const other = PERSONAS.find((p) => p.id === "p0") ?? PERSONAS[0]!;
      let serial = 300000;
      const nhs = unusedTestNhsNumber(() => serial++);
      const label = `a new person (${nhs}) with persona ${other.id}'s email`;
      return paRefusedFindings(await refusedProbe(env, label, (b) => ({ ...b, nhs_number: nhs, email_address: other.email })), {
        code: "11004",
        id: "PA-19",
      });
    },
  },
  {
    key: "pa-provision",
    ids: ["PA-11"],
    title: "provisioning the test patient answers 200 with code create or uplift",
    area: AREA,
    needs: PATIENT,
    run: async (env) =>
      paSuccessFindings({ label: "provisioning the test patient", reply: tokenReplyOf((await provisionedTwice(env))[0]) }),
  },
  {
    key: "pa-pending",
    ids: ["PA-20"],
    title: "provisioning the same patient again within 7 days is refused 11003",
    area: AREA,
    needs: PATIENT,
    run: async (env) => {
      const [first, second] = (await provisionedTwice(env)).map(tokenReplyOf) as [TokenReply, TokenReply];
      // The 7-day rule is seen only after a request was accepted (this run's, or an earlier run's: 11003 already).
      if (first.status !== 200 && paErrorCode(first.body) !== "11003")
        return [
          finding(
            "PA-20",
            "inconclusive",
            `the first provisioning of the test patient was not accepted (${describePaAnswer(first)}), so a repeat says nothing`,
          ),
        ];
      return paRefusedFindings({ label: "provisioning the test patient a second time", reply: second }, { code: "11003", id: "PA-20" });
    },
  },
];
