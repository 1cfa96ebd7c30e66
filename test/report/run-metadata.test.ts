import { describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config/index.ts";
import { runMetadata } from "../../lib/report/run-metadata.ts";
import { REQUIREMENTS } from "../../lib/requirements/index.ts";

describe("runMetadata", () => {
  it("names the time, the harness and its commit, the catalogue, the selected targets and the options", () => {
    const config = loadConfig({ env: { SERVICE_CLIENT_ID: "svc-client" }, dotenvPath: false });
    const started = { environment: { harness: { clientId: "harness-client" } } };
    const run = runMetadata(config, { suites: ["environment", "service"], grep: "FED" }, started, new Date(Date.UTC(2026, 11, 6, 12)));
    expect(run.startedAt).toBe("2026-12-06T12:00:00.000Z");
    expect(run.harness).toMatchObject({ name: "nhslogin-conformance", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(run.harness.commit).toMatch(/^(?:[0-9a-f]{40}(?:\+changes)?|unknown)$/);
    expect(run.catalogue).toMatchObject({ rows: REQUIREMENTS.length, digest: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) });
    expect(run.catalogue.sources.join(" ")).toMatch(/EIS .*V2\.1.*Users Endpoint V2 V1\.1/);
    expect(run.targets).toEqual({
      environment: { kind: "embedded simulator", clientId: "harness-client" },
      service: { kind: "bundled reference service", clientId: "svc-client", driver: "http" },
    });
    expect(run.options).toEqual({ suites: ["environment", "service"], grep: "FED" });
  });
});
