import { PA_ERROR_CODES } from "../../lib/nhs/provision-account/codes.ts";
import { USERS_V2_ERRORS } from "../../lib/nhs/scim-filter/index.ts";
import { describe, expect, it } from "vitest";
import {
  AUTHORIZE_ERROR_CODES,
  DEFECTS,
  FAULT_IDS,
  FAULTS,
  ID_TOKEN_FAULT_IDS,
  TOLERATED_FAULT_IDS,
  TOKEN_ERROR_CODES,
  isDefectId,
  isFaultId,
} from "../../lib/simulator/faults.ts";
import { isRequirementId } from "../../lib/requirements/index.ts";

describe("fault and defect catalogue", () => {
  it("cites only requirement IDs that exist in the catalogue", () => {
    const cited = [...Object.values(FAULTS), ...Object.values(DEFECTS)].flatMap((f) => f.requirements);
    expect(cited.filter((id) => !isRequirementId(id))).toEqual([]);
  });

  it("holds every fault the issue names, one per Table 5 and Table 10 error code", () => {
    expect(ID_TOKEN_FAULT_IDS).toHaveLength(20);
    for (const code of AUTHORIZE_ERROR_CODES) expect(isFaultId(`authorize-error:${code}`)).toBe(true);
    for (const code of TOKEN_ERROR_CODES) expect(isFaultId(`token-error:${code}`)).toBe(true);
    // The Users V2 consumer faults: one per Table 10 row, and ten more (lib/simulator/users-v2/consumer-faults.ts).
    for (const row of Object.keys(USERS_V2_ERRORS)) expect(isFaultId(`uev2-answer:${row}`), row).toBe(true);
    const consumer = Object.keys(USERS_V2_ERRORS).length + 10;
    // The additions a service must ignore: a header parameter, ID-token, access-token and UserInfo claims, a
    // rotated key; and an omission it must cope with, the optional refresh token.
    expect(TOLERATED_FAULT_IDS).toEqual([
      "id-token-unknown-header",
      "id-token-unknown-claims",
      "access-token-unknown-claims",
      "id-token-second-key",
      "token-response-without-refresh-token",
      "userinfo-unknown-claims",
    ]);
    const tolerated = TOLERATED_FAULT_IDS.length;
    // The Provision Account consumer faults: one per Table 11 code, and three more (lib/simulator/provision-account/consumer-faults.ts).
    for (const code of PA_ERROR_CODES) expect(isFaultId(`pa-answer:${code}`), code).toBe(true);
    const provision = PA_ERROR_CODES.length + 3;
    // Slow answers for load tests: slow-authorize, slow-token, slow-userinfo.
    for (const id of ["slow-authorize", "slow-token", "slow-userinfo"]) expect(isFaultId(id), id).toBe(true);
    const slow = 3;
    expect(FAULT_IDS).toHaveLength(
      20 + 3 + slow + tolerated + AUTHORIZE_ERROR_CODES.length + TOKEN_ERROR_CODES.length + consumer + provision,
    );
  });

  it("rejects unknown names", () => {
    expect(isFaultId("id-token-nope")).toBe(false);
    expect(isDefectId("toString")).toBe(false);
    expect(isFaultId("constructor")).toBe(false);
  });
});
