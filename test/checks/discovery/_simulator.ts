/**
 * Shared by the discovery rule tests: a simulator for the test file (`useSimulator()` registers
 * the hooks that start and stop it), its discovery document and JWKS fetched as the environment
 * checks fetch them, and a good fetch result to put crafted bodies in.
 */
import { afterAll, beforeAll } from "vitest";
import { startSimulator, type Simulator } from "../../../lib/simulator/start-simulator.ts";
import { createHttpClient } from "../../../lib/http/index.ts";
import { createEnvironmentContext } from "../../../lib/checks/environment/create-environment-context.ts";

/** The file's client, made as its tests start (test files share the module cache: one closed by an earlier file is not reused). */
export let client = createHttpClient({ timeoutMs: 2000 });
export const fetchJson = (_c: unknown, url: string) =>
  createEnvironmentContext({ issuer: "http://127.0.0.1:1", simulator: false, http: { timeoutMs: 2000 } }).fetchJson(url);
export let sim: Simulator;

/** Starts the simulator before the file's tests and stops it, and closes the client, after them. */
export function useSimulator(): void {
  beforeAll(async () => {
    client = createHttpClient({ timeoutMs: 2000 });
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.stop();
    await client.close();
  });
}

export async function discovery() {
  return fetchJson(client, sim.context.endpoints.discovery);
}
export async function jwks() {
  return fetchJson(client, sim.context.endpoints.jwks);
}

export const good = { status: 200, contentType: "application/json", body: undefined as unknown };
