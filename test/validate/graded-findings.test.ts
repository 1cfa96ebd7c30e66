/**
 * gradedSchemaFindings: strict valid → passed; only the lenient variant valid → a warning naming
 * the catalogue ambiguity that was needed; neither → failed with the strict errors. Also checks
 * schemaFindings and validatePayload keep their contracts.
 */
import { describe, expect, it } from "vitest";
import { gradedSchemaFindings, schemaFindings, validatePayload } from "../../lib/validate/index.ts";

const JWT = "eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJ4In0.c2ln";
const ISS = "https://auth.login.nhs.uk";
const EXT = "uk:nhs:login:auth:1.0:User";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const USERS_RETRIEVE = "https://auth.sandpit.signin.nhs.uk/Users.retrieve";

const user = (over: Record<string, unknown> = {}) => ({
  schemas: [CORE_USER, EXT],
  id: "3a9c2e3a-7659-4ce2-a5c8-40e2e2414f13",
  active: true,
  [EXT]: { vectorsOfTrust: { IdentityProofing: "P9" }, nhsNumber: "9990010005" },
  emails: [{ value: "someone@example.org", type: "home", primary: true }],
  phoneNumbers: [{ type: "mobile", value: "+447940497586" }],
  ...over,
});

const idToken = {
  iss: ISS,
  sub: "24400320",
  aud: "client",
  iat: 1,
  exp: 3601,
  jti: "j",
  nonce: "n",
  vot: "P9.Cp.Cd",
  vtm: `${ISS}/trustmark/auth.login.nhs.uk`,
};

describe("gradedSchemaFindings", () => {
  it("passes a payload valid against the strict schema", () => {
    const [f, ...rest] = gradedSchemaFindings("FED-TRESP-04", "token-response", { access_token: JWT, token_type: "Bearer" });
    expect(rest).toEqual([]);
    expect(f).toEqual({ requirement: "FED-TRESP-04", status: "passed", message: "valid against the token-response schema" });
  });

  interface LenientCase {
    requirement: string;
    schema: Parameters<typeof gradedSchemaFindings>[1];
    data: unknown;
    ambiguity: string;
    path: string;
  }
  const lenientCases: [string, LenientCase][] = [
    [
      "token_type BEARER",
      {
        requirement: "FED-TRESP-04",
        schema: "token-response",
        data: { access_token: JWT, token_type: "BEARER" },
        ambiguity: "A1",
        path: "/token_type",
      },
    ],
    [
      "UEV2 token_type bearer",
      {
        requirement: "UEV2-TOKEN-14",
        schema: "users-v2-token-response",
        data: { access_token: JWT, token_type: "bearer", expires_in: 300 },
        ambiguity: "A1",
        path: "/token_type",
      },
    ],
    [
      "ID token without jti",
      { requirement: "FED-IDT-06", schema: "id-token-payload", data: { ...idToken, jti: undefined }, ambiguity: "A7", path: "/" },
    ],
    [
      'UEV2 access token version "0"',
      {
        requirement: "UEV2-AT-07",
        schema: "users-v2-access-token-payload",
        ambiguity: "UEV2-AT-07",
        path: "/version",
        data: {
          iss: `${ISS}/`,
          sub: "c",
          aud: "c",
          iat: 1,
          exp: 301,
          scope: USERS_RETRIEVE,
          version: "0",
          client_id: "c",
          reason_for_request: "directcare",
          requesting_system: "c",
          token_use: "access",
        },
      },
    ],
    [
      "UserInfo without iss and aud",
      {
        requirement: "FED-UI-07",
        schema: "userinfo",
        data: { sub: "24400320", email: "a@b.c", email_verified: true },
        ambiguity: "A47",
        path: "/",
      },
    ],
    [
      "the EIS trust mark example",
      {
        requirement: "VOT-08",
        schema: "trustmark",
        data: { idp: `${ISS}/`, trustmark_provider: `${ISS}/`, P: ["P0", "P3", "P5", "P6", "P7", "P9"], C: ["Cp", "Cd", "Ck", "Cm"] },
        ambiguity: "A18",
        path: "/P/1, /P/3, /P/4",
      },
    ],
    [
      "a client assertion without jti",
      {
        requirement: "FED-TOKEN-10",
        schema: "client-assertion-payload",
        data: { iss: "c", sub: "c", aud: `${ISS}/token`, exp: 60 },
        ambiguity: "A39",
        path: "/",
      },
    ],
    [
      'emails[].primary "true"',
      {
        requirement: "UEV2-RESP-17",
        schema: "users-v2-user",
        data: user({ emails: [{ value: "a@b.c", type: "home", primary: "true" }] }),
        ambiguity: "A2",
        path: "/emails/0/primary",
      },
    ],
    [
      "a UK national phone number",
      {
        requirement: "UEV2-RESP-18",
        schema: "users-v2-user",
        data: user({ phoneNumbers: [{ type: "mobile", value: "07900123456" }] }),
        ambiguity: "A32",
        path: "/phoneNumbers/0/value",
      },
    ],
    [
      "User schemas in the other order",
      {
        requirement: "UEV2-RESP-07",
        schema: "users-v2-user",
        data: user({ schemas: [EXT, CORE_USER] }),
        ambiguity: "UEV2-RESP-07",
        path: "/schemas",
      },
    ],
    [
      'a ListResponse with primary "true"',
      {
        requirement: "UEV2-RESP-17",
        schema: "users-v2-list-response",
        ambiguity: "A2",
        path: "/Resources/0/emails/0/primary",
        data: {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
          totalResults: 1,
          Resources: [user({ emails: [{ value: "a@b.c", type: "home", primary: "true" }] })],
        },
      },
    ],
    [
      "the bare error object",
      {
        requirement: "UEV2-ERR-13",
        schema: "users-v2-error",
        data: { description: "Invalid syntax", code: "400" },
        ambiguity: "A26",
        path: "/",
      },
    ],
    [
      "the required-scope text without quotes",
      {
        requirement: "UEV2-ERR-10",
        schema: "users-v2-error",
        ambiguity: "A27",
        path: "/Errors/0/description",
        data: { Errors: [{ description: `Scope ${USERS_RETRIEVE} required for access was not present in request`, code: "403" }] },
      },
    ],
  ];

  it.each(lenientCases)("%s: a warning citing the ambiguity, not a pass", (_name, c) => {
    const data = JSON.parse(JSON.stringify(c.data)) as unknown; // drops the undefined members
    const findings = gradedSchemaFindings(c.requirement, c.schema, data);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f!.status).toBe("warning");
    expect(f!.requirement).toBe(c.requirement);
    expect(f!.message).toContain(`lenient ${c.schema} schema`);
    expect(f!.message).toMatch(new RegExp(`needed: .*\\b${c.ambiguity}: `));
    expect(f!.message).toContain(`(at ${c.path})`);
  });

  it("names only the ambiguities that were needed", () => {
    const [f] = gradedSchemaFindings("UEV2-ERR-10", "users-v2-error", {
      Errors: [{ description: `Scope ${USERS_RETRIEVE} required for access was not present in request`, code: "403" }],
    });
    expect(f!.message).toContain("A27: ");
    expect(f!.message).not.toContain("A26: ");
    const [g] = gradedSchemaFindings(
      "UEV2-RESP-17",
      "users-v2-user",
      user({ emails: [{ value: "a@b.c", type: "home", primary: "true" }], phoneNumbers: [{ type: "mobile", value: "07900123456" }] }),
    );
    expect(g!.message).toContain("A2: ");
    expect(g!.message).toContain("A32: ");
    expect(g!.message).not.toContain("UEV2-RESP-07");
  });

  it("fails with the strict errors when the lenient variant refuses too", () => {
    const [f] = gradedSchemaFindings("FED-TRESP-04", "token-response", { access_token: JWT, token_type: "MAC" });
    expect(f!.status).toBe("failed");
    expect(f!.message).toMatch(
      /^does not match the token-response schema: \/token_type: must be equal to one of the allowed values: "bearer", "Bearer"$/,
    );
  });

  it("fails on a violation outside every ambiguity, even alongside a lenient one", () => {
    const [f] = gradedSchemaFindings(
      "UEV2-RESP-17",
      "users-v2-user",
      user({ active: "yes", emails: [{ value: "a@b.c", type: "home", primary: "true" }] }),
    );
    expect(f!.status).toBe("failed");
    expect(f!.message).toContain("/active: must be boolean");
    expect(f!.message).toContain("/emails/0/primary: must be boolean");
  });

  it("fails (never warns) for a schema without a lenient variant", () => {
    expect(gradedSchemaFindings("FED-JWT-01", "jwt-header", { alg: "RS512", typ: "JWT" })[0]!.status).toBe("passed");
    const [f] = gradedSchemaFindings("FED-JWT-01", "jwt-header", { alg: "RS256", typ: "JWT" });
    expect(f!.status).toBe("failed");
    expect(f!.message).toContain('/alg: must be equal to constant: "RS512"');
  });

  it("limits the message to ten errors and counts the rest", () => {
    const bad = Object.fromEntries(
      ["email_verified", "phone_number_verified", "phone_number_pds_matched", "landline_number_verified"].map((k) => [k, "yes"]),
    );
    const many = { iss: 1, aud: 2, sub: 3, family_name: 4, given_name: 5, birthdate: 6, nhs_number: 7, identity_proofing_level: 8, ...bad };
    const [f] = gradedSchemaFindings("FED-UI-07", "userinfo", many);
    expect(f!.status).toBe("failed");
    expect(f!.message).toMatch(/\(and \d+ more\)$/);
  });

  it("refuses an unknown requirement ID", () => {
    expect(() => gradedSchemaFindings("NOPE-99", "userinfo", {})).toThrow(RangeError);
  });
});

describe("schemaFindings and validatePayload keep working", () => {
  it("schemaFindings grades strict only, with the chosen status on a violation", () => {
    expect(schemaFindings("FED-UI-07", "userinfo", { iss: ISS, aud: "c", sub: "x" })[0]!.status).toBe("passed");
    expect(schemaFindings("FED-UI-07", "userinfo", { sub: "x" })[0]!.status).toBe("failed");
    expect(schemaFindings("FED-UI-07", "userinfo", { sub: "x" }, "warning")[0]!.status).toBe("warning");
  });

  it("validatePayload reports instancePath: message strings and structured issues", () => {
    const r = validatePayload("id-token-payload", { ...idToken, vot: "P9.Ca.Cc" });
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual(['/vot: must match pattern "^P[059](?:\\.C[pdkm])+$"']);
    expect(r.issues).toEqual([{ instancePath: "/vot", keyword: "pattern", message: r.errors[0] }]);
    expect(validatePayload("id-token-payload", idToken)).toEqual({ valid: true, errors: [], issues: [] });
  });

  it("validatePayload reaches the lenient variants by name", () => {
    expect(validatePayload("token-response.lenient", { access_token: JWT, token_type: "BeArEr" }).valid).toBe(true);
  });

  it("reuses the compiled schemas (the second validation is cheap)", () => {
    validatePayload("userinfo", { sub: "x" });
    const start = performance.now();
    for (let i = 0; i < 200; i++) validatePayload("userinfo", { iss: ISS, aud: "c", sub: `x${i}` });
    expect(performance.now() - start).toBeLessThan(200);
  });
});
