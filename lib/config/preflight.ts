/**
 * Before any check runs, reach the NHS login environment and hold the configuration against what
 * it publishes: its discovery document must be readable at the issuer and list the scopes the
 * harness will request (`scopes_supported`). Each problem is a ConfigError naming the variable, so
 * the runner exits 2 with the reason instead of charging a requirement with it (`ENOTFOUND` for
 * sandpit without a network is not a failure of FED-DISC-01). Whether discovery names the issuer
 * exactly is a check (FED-DISC-01), not a pre-condition; the vectors of trust are held to the EIS
 * profiles when the configuration is read (NHSLOGIN_VTR, SERVICE_VTR), since discovery lists none.
 *
 * @example
 * ```ts
 * const problems = await preflight(config, { issuer, kind: "remote", http: { timeoutMs: 5000, maxResponseBytes: 1e6 } })
 * if (problems.length > 0) process.exit(2)
 * ```
 */
import { ConfigError } from "../errors/index.ts";
import { createHttpClient } from "../http/index.ts";
import { isObject } from "../json/is-object.ts";
import type { HarnessConfig } from "./types.ts";

export interface PreflightEnvironment {
  issuer: string;
  /** The embedded simulator is started by the harness itself: nothing to reach. */
  kind: "simulator" | "remote";
  http: { timeoutMs: number; maxResponseBytes: number; ca?: readonly string[] };
}

export async function preflight(config: HarnessConfig, environment: PreflightEnvironment | undefined): Promise<ConfigError[]> {
  if (!environment || environment.kind === "simulator") return [];
  const variable = config.nhslogin.issuer ? "NHSLOGIN_ISSUER" : "NHSLOGIN_ENVIRONMENT";
  const where = `${environment.issuer} (${variable}=${config.nhslogin.issuer ?? config.environment})`;
  const url = `${environment.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const client = createHttpClient({
    timeoutMs: environment.http.timeoutMs,
    maxResponseBytes: environment.http.maxResponseBytes,
    ...(environment.http.ca ? { ca: environment.http.ca } : {}),
  });
  let discovery: unknown;
  try {
    const res = await client.request({ method: "GET", url });
    if (res.status !== 200)
      return [new ConfigError(variable, `an NHS login issuer whose discovery document is readable`, `GET ${url} answered ${res.status}`)];
    discovery = res.json();
  } catch (err) {
    const message = (err as Error).message;
    return [new ConfigError(variable, "an NHS login issuer this machine can reach", `${where}: GET ${url} failed: ${message}`)];
  } finally {
    await client.close();
  }
  if (!isObject(discovery))
    return [new ConfigError(variable, "an issuer serving a JSON discovery document", `GET ${url} did not answer a JSON object`)];
  const problems: ConfigError[] = [];
  const listed = (name: string) => (Array.isArray(discovery[name]) ? (discovery[name] as unknown[]).map(String) : undefined);
  const scopes = listed("scopes_supported");
  const unsupported = scopes ? config.nhslogin.scopes.filter((s) => !scopes.includes(s)) : [];
  if (unsupported.length > 0)
    problems.push(
      new ConfigError(
        "NHSLOGIN_SCOPES",
        `scopes the environment supports (${scopes!.join(" ")})`,
        `it does not list ${unsupported.join(" ")}`,
      ),
    );
  return problems;
}
