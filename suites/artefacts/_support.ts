/**
 * Run the artefact checks as conformance tests over the folder named by ARTEFACTS_DIR. The folder
 * is loaded once, when the first check runs; without ARTEFACTS_DIR every check is still declared
 * and skipped with the reason, so the report lists them.
 */
import { afterAll, describe } from "vitest";
import { loadConfig } from "../../lib/config/index.ts";
import { createHttpClient, type HttpClient } from "../../lib/http/index.ts";
import { artefactGate, loadArtefacts, type ArtefactCheck, type ArtefactSet } from "../../lib/artefacts/index.ts";
import { runCheck } from "../../lib/checks/run-check.ts";
import { check, registerCheckSource } from "../_support/check.ts";

interface Source {
  dir?: string;
  /** Why there is no folder (unset, or the configuration was refused). */
  unavailable?: string;
  http?: { timeoutMs: number; maxResponseBytes: number; ca?: readonly string[] };
}

function source(): Source {
  try {
    const config = loadConfig();
    const http = {
      timeoutMs: config.http.timeoutMs,
      maxResponseBytes: config.http.maxResponseBytes,
      ...(config.http.ca ? { ca: config.http.ca } : {}),
    };
    return config.artefacts.dir ? { dir: config.artefacts.dir, http } : { unavailable: "ARTEFACTS_DIR is not set", http };
  } catch (err) {
    return { unavailable: `the configuration was refused: ${(err as Error).message}` };
  }
}

/** Declare one conformance test per artefact check, grouped under a describe block. */
export function artefactSuite(name: string, checks: readonly ArtefactCheck[]): void {
  const src = source();
  let http: HttpClient | undefined;
  let loaded: Promise<ArtefactSet> | undefined;
  const set = () => {
    if (!loaded) {
      if (src.dir) http = createHttpClient(src.http ?? {});
      loaded = loadArtefacts(src.dir, { ...(http ? { http } : {}), ...(src.unavailable ? { unavailable: src.unavailable } : {}) });
    }
    return loaded;
  };
  registerCheckSource("Artefacts", {
    exchanges: () => http?.exchanges ?? [],
    parameters: () => ({ artefacts: src.dir ?? src.unavailable ?? "none" }),
  });
  describe(`${name}: ${src.dir ?? src.unavailable}`, () => {
    afterAll(async () => {
      await http?.close();
    });
    for (const c of checks) {
      check({ ids: c.ids, title: c.title, epic: "Artefacts", area: c.area }, async () => runCheck(c, await set(), artefactGate));
    }
  });
}
