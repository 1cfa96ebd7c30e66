/**
 * Runs before every conformance suite file: tells `check()` where environment checks find their
 * HTTP exchanges (the suite file's shared client) and the target to show as a parameter, so each
 * check's Allure entry carries one step per HTTP exchange it made. Suite support code may pass
 * `exchanges` per check instead; that takes precedence.
 *
 * Only environment suite files load the environment support (the others never pay for it).
 */
import { beforeAll } from "vitest";
import { registerCheckSource } from "./check.ts";

// (vitest passes the suite — here the whole file — as the second argument.)
// eslint-disable-next-line no-empty-pattern
beforeAll(async ({}, suite) => {
  const path = "filepath" in suite ? String(suite.filepath).split("\\").join("/") : "";
  if (!path.includes("/suites/environment/")) return;
  const [{ environmentContext }, { environmentTarget }] = await Promise.all([import("./environment.ts"), import("./target.ts")]);
  registerCheckSource("Environment", {
    exchanges: () => environmentContext().http.exchanges,
    parameters: () => ({ issuer: environmentTarget().issuer }),
  });
});
