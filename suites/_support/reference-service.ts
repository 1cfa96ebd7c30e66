/**
 * Run the bundled reference service (examples/reference-service) as a child process, the way a
 * partner's service runs: its own process, talking HTTP. Used by the run set-up (targets.ts) and by the
 * project's tests (which also start its unsafe variants).
 *
 * Two steps, because the simulator must know the service's client (redirect URI, public key)
 * before the service starts and discovers it:
 *
 * @example
 * ```ts
 * const plan = await planReferenceService({})
 * const sim = await startSimulator({ clients: [plan.registration], clientAssertion: LENIENT_CLIENT_ASSERTION })
 * const service = await launchReferenceService(plan, sim.issuer)
 * // ... service.startUrl, service.protectedUrl ...
 * await service.stop()
 * ```
 */
import { freePort } from "../../lib/http/free-port.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateRsaKeyPair } from "../../lib/jose/generate-rsa-key.ts";
import type { ClientRegistration } from "../../lib/simulator/clients.ts";
import type { Simulator } from "../../lib/simulator/start-simulator.ts";
import type { ServiceTarget } from "../../lib/checks/service/index.ts";
import { REDIRECT_URI_QUERY, type UnsafeSwitch } from "../../examples/reference-service/unsafe.ts";
import { bundleEntry } from "./bundle-entry.ts";

/**
 * Scopes and vtr the reference service asks for, and is registered for: P5 and P9 vectors, as a
 * service with basic features and a P9-only one that P5 users reach by a step-up (STEPUP-01).
 */
export const REFERENCE_SCOPES = ["openid", "profile", "email", "phone"] as const;
export const REFERENCE_VTR = ["P5.Cp.Cd", "P5.Cp.Ck", "P5.Cm", "P9.Cp.Cd", "P9.Cp.Ck", "P9.Cm"] as const;
export const REFERENCE_CLIENT_ID = "nhslogin-conformance-reference-service";
/** Users Endpoint V2 scopes the reference service asks for and is approved for, beside the simulator's Users.retrieve. */
export const REFERENCE_USERS_SCOPES = ["profile", "email"] as const;
/** The ODS code the reference service provisions for (Provision Account), and is registered for. */
export const REFERENCE_ODS_CODE = "A12345";

/**
 * The client-assertion policy of the service suite's simulator: RS256 and lifetimes up to an hour
 * are let through, so a service that gets them wrong still signs in and fails only the checks
 * that judge its assertions (FED-TOKEN-09/11), instead of failing every check that needs a sign-in.
 * The signature, claims and jti replay are still enforced.
 */
export const LENIENT_CLIENT_ASSERTION = { algorithms: ["RS512", "RS256"], maxLifetimeSeconds: 3600 } as const;

/**
 * The simulator of the service suite is lenient where strictness would hide the service's
 * behaviour: RS256 and long-lived client assertions, and an authorization request without state or
 * nonce, are accepted so that such a service still signs in; the checks about them fail on what it sent.
 */
export const SERVICE_SUITE_LENIENCY = { clientAssertion: LENIENT_CLIENT_ASSERTION, requireStateAndNonce: false } as const;

export interface ReferenceServicePlan {
  port: number;
  /** The public base URL (http://127.0.0.1:<port>, or another host name for the http variant). */
  baseUrl: string;
  /** The redirect URI the service sends. */
  redirectUri: string;
  /** The registration the harness checks: its redirect URIs and approved scopes (openid included). */
  redirectUris: string[];
  scopes: string[];
  clientId: string;
  publicKeyPem: string;
  registration: ClientRegistration;
  /** Host names the browser must map to 127.0.0.1 to reach the service. */
  resolve?: Record<string, string>;
  unsafe?: UnsafeSwitch;
  /** Holds the private key file; removed by stop(). */
  dir: string;
  keyFile: string;
}

export interface ReferenceService {
  plan: ReferenceServicePlan;
  startUrl: string;
  protectedUrl: string;
  /** The feature for P9 users only, which a P5 session reaches by a step-up. */
  stepUpUrl: string;
  testClockUrl: string;
  /** The Users V2 lookup hook. */
  usersLookupUrl: string;
  /** The Provision Account hook. */
  provisionUrl: string;
  /** What the child printed (for diagnostics). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The service target for the reference service behind `sim`. Without `service` (it did not
 * start), its URLs are the planned ones and the caller marks the target unavailable.
 */
export function referenceServiceTarget(
  plan: ReferenceServicePlan,
  sim: Simulator,
  http: ServiceTarget["http"],
  service?: ReferenceService,
): ServiceTarget {
  return {
    kind: "reference",
    startUrl: service?.startUrl ?? `${plan.baseUrl}/login`,
    protectedUrl: service?.protectedUrl ?? `${plan.baseUrl}/account`,
    stepUpUrl: service?.stepUpUrl ?? `${plan.baseUrl}/account/verified`,
    clientId: plan.clientId,
    redirectUris: [...plan.redirectUris],
    publicKeyPem: plan.publicKeyPem,
    scopes: [...plan.scopes],
    vtr: [...REFERENCE_VTR],
    usesUserinfo: true,
    usersLookupUrl: service?.usersLookupUrl ?? `http://127.0.0.1:${plan.port}/__test/users-lookup`,
    provisionUrl: service?.provisionUrl ?? `http://127.0.0.1:${plan.port}/__test/provision`,
    odsCode: REFERENCE_ODS_CODE,
    usersScopes: [sim.usersScope, ...REFERENCE_USERS_SCOPES],
    simulator: { url: sim.url, issuer: sim.issuer, controlSecret: sim.controlSecret },
    ...(service ? { testClockUrl: service.testClockUrl } : {}),
    ...(plan.resolve ? { resolve: plan.resolve } : {}),
    http,
  };
}

/** Pick a port, generate the service's key pair, and describe its registration. */
export async function planReferenceService(options: { unsafe?: UnsafeSwitch; clientId?: string } = {}): Promise<ReferenceServicePlan> {
  // The key is made on the thread pool while the port is found.
  const [port, { privateKey, publicKey }] = await Promise.all([
    freePort(),
    generateRsaKeyPair({ bits: options.unsafe === "rsa-4096-key" ? 4096 : 2048 }),
  ]);
  const dir = mkdtempSync(join(tmpdir(), "reference-service-"));
  const keyFile = join(dir, "private-key.pem");
  writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  // The http variant needs a plain-http redirect URI on a host that is not loopback: a made-up
  // name the browser maps to 127.0.0.1 (nothing is looked up in DNS).
  const host = options.unsafe === "https-redirect-uri" ? "reference-service.nhslogin-conformance.test" : "127.0.0.1";
  const baseUrl = `http://${host}:${port}`;
  const clientId = options.clientId ?? REFERENCE_CLIENT_ID;
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const redirectUri = `${baseUrl}/callback${options.unsafe === "redirect-uri-query" ? `?${REDIRECT_URI_QUERY}` : ""}`;
  // The registration variants (test only) change what the service is registered with.
  const redirectUris =
    options.unsafe === "wildcard-redirect-uri"
      ? [redirectUri, `${baseUrl}/*`]
      : options.unsafe === "many-redirect-uris"
        ? [redirectUri, ...Array.from({ length: 10 }, (_, i) => `${baseUrl}/landing-${i + 1}`)]
        : [redirectUri];
  const scopes = REFERENCE_SCOPES.filter((s) => options.unsafe !== "registration-without-openid" || s !== "openid");
  return {
    port,
    baseUrl,
    redirectUri,
    redirectUris,
    scopes,
    clientId,
    publicKeyPem,
    registration: {
      clientId,
      name: "nhslogin-conformance reference service",
      // NHS login (and the simulator) registers at most 10 redirect URIs.
      redirectUris: redirectUris.slice(0, 10),
      publicKey: publicKeyPem,
      scopes: REFERENCE_SCOPES.filter((s) => s !== "openid"),
      vtr: [...REFERENCE_VTR],
      // The simulator's Users.retrieve scope and the extras (usersV2Scopes names them without the issuer).
      usersV2Scopes: ["<Users.retrieve>", ...REFERENCE_USERS_SCOPES],
      provisionAccount: { odsCodes: [REFERENCE_ODS_CODE] },
    },
    ...(host !== "127.0.0.1" ? { resolve: { [host]: "127.0.0.1" } } : {}),
    ...(options.unsafe ? { unsafe: options.unsafe } : {}),
    dir,
    keyFile,
  };
}

/**
 * Start the service for `plan` against `issuer` and wait (at most `timeoutMs`) until it says it
 * listens. Every REFERENCE_SERVICE_* variable is set explicitly, so a developer's .env cannot
 * change the service the harness drives. On failure the child is stopped and the error names why.
 */
export async function launchReferenceService(
  plan: ReferenceServicePlan,
  issuer: string,
  timeoutMs = 30_000,
  /** More environment for the service's process, e.g. NODE_EXTRA_CA_CERTS for an https simulator. */
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<ReferenceService> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("REFERENCE_SERVICE_")));
  Object.assign(env, extraEnv, {
    REFERENCE_SERVICE_ISSUER: issuer,
    REFERENCE_SERVICE_CLIENT_ID: plan.clientId,
    REFERENCE_SERVICE_PRIVATE_KEY_FILE: plan.keyFile,
    REFERENCE_SERVICE_HOST: "127.0.0.1",
    REFERENCE_SERVICE_PORT: String(plan.port),
    REFERENCE_SERVICE_BASE_URL: plan.baseUrl,
    REFERENCE_SERVICE_SCOPES: REFERENCE_SCOPES.join(" "),
    REFERENCE_SERVICE_VTR: JSON.stringify(REFERENCE_VTR),
    REFERENCE_SERVICE_NAME: "The reference service",
    REFERENCE_SERVICE_TEST_CLOCK: "true",
    REFERENCE_SERVICE_UNSAFE: plan.unsafe ?? "",
    REFERENCE_SERVICE_USERS_SCOPES: REFERENCE_USERS_SCOPES.join(" "),
    REFERENCE_SERVICE_USERS_LOOKUP_HOOK: "true",
    // Shorter than the simulator's slow answer, so that the timeout handling is seen.
    REFERENCE_SERVICE_USERS_TIMEOUT_MS: "400",
    REFERENCE_SERVICE_USERS_BACKOFF_MS: "50",
    REFERENCE_SERVICE_ODS_CODE: REFERENCE_ODS_CODE,
    REFERENCE_SERVICE_PROVISION_HOOK: "true",
    // As for Users V2: shorter than the simulator's slow answer, and quick retries.
    REFERENCE_SERVICE_PROVISION_TIMEOUT_MS: "400",
    REFERENCE_SERVICE_PROVISION_BACKOFF_MS: "50",
  });
  const root = resolve(import.meta.dirname, "../..");
  // From the installed package: the compiled JavaScript; from this repository: the TypeScript bundled
  // into one file (bundle-entry.ts), which starts in half the CPU of the tsx launcher, or through the
  // launcher when the bundle cannot be made (node_modules/.cache not writable, say).
  const compiled = join(root, "examples/reference-service/main.js");
  const fromSources = async () => {
    const bundled = await bundleEntry(root, "examples/reference-service/main.ts").catch((err: Error) => {
      process.stderr.write(`reference service: no bundle (${err.message.replace(/\s+/g, " ").slice(0, 300)}); starting it through tsx\n`);
      return undefined;
    });
    return bundled ? ["--enable-source-maps", bundled] : [join(root, "bin/launch.mjs"), join(root, "examples/reference-service/main.ts")];
  };
  const argv = existsSync(compiled) ? [compiled] : await fromSources();
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stopChild = () => stopProcess(child);
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const stop = async () => {
    process.off("exit", onExit);
    await stopChild();
    rmSync(plan.dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`the reference service did not start within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        if (/listening on/.test(out)) {
          clearTimeout(timer);
          res();
        }
      };
      child.stdout!.on("data", check);
      child.once("exit", (code) => {
        clearTimeout(timer);
        rej(new Error(`the reference service exited (code ${code}) before it was ready`));
      });
    });
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${out.trim()}`);
  }
  return {
    plan,
    startUrl: `${plan.baseUrl}/login`,
    protectedUrl: `${plan.baseUrl}/account`,
    stepUpUrl: `${plan.baseUrl}/account/verified`,
    // The harness's own HTTP client (not the browser) calls the hook: address the listener itself.
    testClockUrl: `http://127.0.0.1:${plan.port}/__test/clock`,
    usersLookupUrl: `http://127.0.0.1:${plan.port}/__test/users-lookup`,
    provisionUrl: `http://127.0.0.1:${plan.port}/__test/provision`,
    output: () => out,
    stop,
  };
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has gone. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(killer);
      res();
    });
    child.kill("SIGTERM");
  });
}
