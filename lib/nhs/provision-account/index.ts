/**
 * Provision Account (PA §3): its answers and the rules of its request body.
 */
export * from "./codes.ts";
export * from "./check-provision-body.ts";
