/**
 * Synthetic people the simulator signs in. All data is invented: NHS numbers pass the modulus
 * 11 check and are in the 999 test range (except p9-zero's, which starts with a zero), phone
 * numbers are in Ofcom's drama ranges, emails use the reserved `.invalid` suffix's sibling
 * `example.org`.
 */
import type { Credential, ProofingLevel } from "../nhs/vot.ts";

export interface Persona {
  /** Stable handle used in config (`SIMULATOR_PERSONA`) and scenarios. */
  id: string;
  /** Short description printed by `npm run simulator`. */
  label: string;
  /** The NHS login subject identifier (stable across sign-ins). */
  sub: string;
  /** The NHS login account id returned by Users Endpoint V2 (`id`). */
  accountId: string;
  /** Highest proofing level reached (`identity_proofing_level`). */
  proofing: ProofingLevel;
  /** Authentication credentials this person can present, in preference order. */
  credentials: Credential[];
  email: string;
  emailVerified: boolean;
  phoneNumber: string;
  phoneNumberVerified: boolean;
  phoneNumberPdsMatched: boolean;
  landlineNumber?: string;
  /** Known only for verified (P5/P9) people. */
  nhsNumber?: string;
  familyName?: string;
  givenName?: string;
  birthdate?: string;
  gpOdsCode?: string;
  gpUserId?: string;
  gpLinkageKey?: string;
}

export const PERSONAS: readonly Persona[] = Object.freeze([
  {
    id: "p9",
    label: "High verification (P9), IM1 linked, password + SMS or FIDO",
    sub: "4d8f1c2a-9b7e-4e21-8a3c-5f6d7e8f9a01",
    accountId: "0c6f3a7e-2d41-4b9a-9e58-7c1d2b3a4f09",
    proofing: "P9",
    credentials: ["Cp", "Cd", "Cm"],
    email: "p9.simulated@example.org",
    emailVerified: true,
    phoneNumber: "+447700900109",
    phoneNumberVerified: true,
    phoneNumberPdsMatched: true,
    landlineNumber: "+441632960109",
    nhsNumber: "9990010005",
    familyName: "NINE-SIMULATED",
    givenName: "Nia",
    birthdate: "1984-02-29",
    gpOdsCode: "Y00025",
    gpUserId: "900000009-1009",
    gpLinkageKey: "SimLinkKey9Q7",
  },
  {
    // NHS numbers are 10-digit strings (NHSNO-03): this one starts with a zero, which a service
    // that turns it into a number loses. Synthetic and outside the 999 range, so that it can start
    // with 0; it passes the modulus 11 check (catalogue NHSNO-03).
    id: "p9-zero",
    label: "High verification (P9) whose NHS number starts with a zero",
    sub: "c3e1a9d4-7f2b-4c8e-9a15-2b6d8f0e4a19",
    accountId: "e7d2c1b0-9a8f-4e6d-8c5b-4a3f2e1d0c19",
    proofing: "P9",
    credentials: ["Cp", "Cd"],
    email: "p9.zero.simulated@example.org",
    emailVerified: true,
    phoneNumber: "+447700900119",
    phoneNumberVerified: true,
    phoneNumberPdsMatched: true,
    nhsNumber: "0123456789",
    familyName: "ZERO-SIMULATED",
    givenName: "Zara",
    birthdate: "1979-07-01",
    gpOdsCode: "Y00025",
  },
  {
    id: "p5",
    label: "Medium verification (P5), password + SMS",
    sub: "7a2e5b90-3c1d-4f6e-9a8b-0c1d2e3f4a05",
    accountId: "5b8e1d2c-4a3f-4e9d-8c7b-6a5f4e3d2c05",
    proofing: "P5",
    credentials: ["Cp", "Cd"],
    email: "p5.simulated@example.org",
    emailVerified: true,
    phoneNumber: "+447700900105",
    phoneNumberVerified: true,
    phoneNumberPdsMatched: false,
    nhsNumber: "9990010013",
    familyName: "FIVE-SIMULATED",
    givenName: "Fenella",
    birthdate: "2001-12-30",
    gpOdsCode: "A20047",
  },
  {
    id: "p0",
    label: "Low verification (P0), password + SMS, no demographics",
    sub: "2f9c8e7d-6b5a-4c3d-8e2f-1a0b9c8d7e00",
    accountId: "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c00",
    proofing: "P0",
    credentials: ["Cp", "Cd"],
    email: "p0.simulated@example.org",
    emailVerified: true,
    phoneNumber: "+447700900100",
    phoneNumberVerified: true,
    phoneNumberPdsMatched: false,
  },
]);

/** The persona with this id, or `undefined`. */
export function findPersona(id: string, personas: readonly Persona[] = PERSONAS): Persona | undefined {
  return personas.find((p) => p.id === id);
}
