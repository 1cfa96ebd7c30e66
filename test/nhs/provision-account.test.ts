import { describe, expect, it } from "vitest";
import {
  checkProvisionBody,
  isIsoDate,
  isPaErrorCode,
  PA_ERROR_CODES,
  PA_ERRORS,
  PA_GENERIC_CODES,
  paErrorCode,
} from "../../lib/nhs/provision-account/index.ts";

const GOOD = {
  nhs_number: "9990010013",
  email_address: "someone@example.org",
  date_of_birth: "2001-12-30",
  ods_code: "A12345",
  phone_number: "+447700900105",
};

describe("Provision Account codes (PA T9, T11)", () => {
  it("holds every T11 code once, the generic group under PA-17", () => {
    expect(PA_ERROR_CODES).toHaveLength(15);
    expect([...PA_GENERIC_CODES].sort()).toEqual(["11001", "11002", "11006", "11007", "11008", "11009", "11018", "11019"]);
    expect(PA_ERRORS["11003"].requirement).toBe("PA-20");
    expect(isPaErrorCode("11004")).toBe(true);
    expect(isPaErrorCode("11099")).toBe(false);
  });

  it("reads a code trimmed, as the spec's example has a leading space (A38)", () => {
    expect(paErrorCode({ code: " 11004" })).toBe("11004");
    expect(paErrorCode({ code: 11004 })).toBeUndefined();
    expect(paErrorCode(null)).toBeUndefined();
  });
});

describe("checkProvisionBody (PA T7)", () => {
  it("passes a body that meets T7", () => {
    expect(checkProvisionBody(GOOD)).toEqual([]);
  });

  it("refuses the spec example's date 1993-17-12, other formats and future dates (PA-08)", () => {
    expect(isIsoDate("1993-17-12")).toBe(false);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2024-02-29")).toBe(true);
    const problems = (dob: string) => checkProvisionBody({ ...GOOD, date_of_birth: dob }, Date.parse("2026-01-01"));
    expect(problems("1993-17-12")).toEqual([
      expect.objectContaining({ requirement: "PA-08", problem: expect.stringMatching(/not a real date/) }),
    ]);
    expect(problems("30/12/2001")[0]?.problem).toMatch(/not in YYYY-MM-DD/);
    expect(problems("2030-01-01")[0]?.problem).toMatch(/in the future/);
  });

  it("refuses a missing field, a bad check digit, a bad email and an ODS code of the wrong shape", () => {
    const { email_address: _e, ...noEmail } = GOOD;
    expect(checkProvisionBody(noEmail)).toEqual([
      expect.objectContaining({ requirement: "PA-07", problem: expect.stringMatching(/missing/) }),
    ]);
    expect(checkProvisionBody({ ...GOOD, nhs_number: "9990010014" })[0]?.requirement).toBe("PA-06");
    expect(checkProvisionBody({ ...GOOD, nhs_number: 9990010013 })[0]?.problem).toMatch(/not a string/);
    expect(checkProvisionBody({ ...GOOD, email_address: "nobody" })[0]?.requirement).toBe("PA-07");
    expect(checkProvisionBody({ ...GOOD, ods_code: "A00002" })).toEqual([]);
    expect(checkProvisionBody({ ...GOOD, ods_code: "a12345" })[0]?.requirement).toBe("PA-09");
    expect(checkProvisionBody({ ...GOOD, ods_code: "A1234" })[0]?.requirement).toBe("PA-09");
  });

  it("needs a country code on the mobile (PA-10); a mobile outside the UK only warns", () => {
    expect(checkProvisionBody({ ...GOOD, phone_number: "07700900105" })).toEqual([
      expect.objectContaining({ requirement: "PA-10", status: "failed", problem: expect.stringMatching(/country code/) }),
    ]);
    expect(checkProvisionBody({ ...GOOD, phone_number: "+33612345678" })).toEqual([
      expect.objectContaining({ requirement: "PA-10", status: "warning" }),
    ]);
  });

  it("reads anything that is not an object as every field missing", () => {
    expect(checkProvisionBody("x")).toHaveLength(5);
    expect(checkProvisionBody([GOOD])).toHaveLength(5);
  });
});
