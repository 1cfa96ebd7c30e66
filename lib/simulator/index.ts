/**
 * The embedded NHS login simulator as a library, for a team's own tests (`nhslogin-conformance/simulator`):
 * start it on 127.0.0.1, register your service's client, sign its personas in, arm a fault for the
 * next sign-in or switch a defect on, and read what it recorded. It speaks the protocols the harness
 * checks: the authorization code flow with private_key_jwt and RS512, UserInfo, Users Endpoint V2
 * and Provision Account.
 *
 * @example
 * ```ts
 * import { startSimulator, FAULTS } from "nhslogin-conformance/simulator"
 *
 * const sim = await startSimulator({
 *   clients: [{ clientId: "my-service", redirectUris: ["http://127.0.0.1:3000/callback"], publicKey: myPublicKeyPem }],
 * })
 * sim.arm({ faults: ["id-token-nonce-wrong"], clientId: "my-service" }) // the next sign-in's ID token has another nonce
 * // ... point your service at sim.issuer and drive a sign-in ...
 * sim.events.filter((e) => e.type === "token")                          // what your service sent to /token
 * await sim.stop()
 * ```
 */
export { startSimulator, type Simulator, type SimulatorOptions, type ArmRequest } from "./start-simulator.ts";
export { FAULTS, FAULT_IDS, DEFECTS, DEFECT_IDS, isFaultId, isDefectId, type FaultId, type DefectId, type FaultInfo } from "./faults.ts";
export { PERSONAS, findPersona, type Persona } from "./personas.ts";
export { USERS_RETRIEVE_PLACEHOLDER, type ClientRegistration, type RegisteredClient } from "./clients.ts";
export type { SimulatorEvent } from "./state.ts";
export type { SimulatorLimits } from "./limits.ts";
export type { AgeGrantRequest } from "./age-grant.ts";
export { generateRsaKeyPair } from "../jose/generate-rsa-key.ts";
