/**
 * Start a fixture service as a child process, so that it can really crash, hang or be restarted:
 * the server-rendered one (server-rendered.ts, the default) or, with `kind: "single-page"`, the
 * single-page one (single-page.ts), whose sign-in only starts from a JavaScript click handler. Two steps, as for the reference service
 * (suites/_support/reference-service.ts): the simulator must know the client before the service
 * starts.
 *
 * @example
 * ```ts
 * const plan = await planFixtureService({ onError: "die" })
 * const sim = await startSimulator({ clients: [plan.registration], clientAssertion: LENIENT_CLIENT_ASSERTION })
 * const service = await launchFixtureService(plan, sim.issuer)
 * try {
 *   // ... GET service.startUrl, follow the link, sim.arm(...), service.alive() ...
 * } finally {
 *   await service.stop()
 *   await sim.stop()
 * }
 * ```
 *
 * The server-rendered fixture's client assertion lives 30 minutes, so the simulator needs the
 * lenient policy (LENIENT_CLIENT_ASSERTION, up to an hour) or every token request is refused. The
 * single-page fixture's lives 60 s, which the default policy accepts:
 *
 * ```ts
 * const plan = await planFixtureService({ kind: "single-page", cors: "permissive" })
 * const sim = await startSimulator({ clients: [plan.registration] })
 * const service = await launchFixtureService(plan, sim.issuer)
 * ```
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { generateRsaKeyPair } from "../../../lib/jose/generate-rsa-key.ts";
import type { ClientRegistration } from "../../../lib/simulator/clients.ts";
import { freePort } from "../../../lib/http/free-port.ts";
import { stopProcess } from "../../../suites/_support/reference-service.ts";
import { bundleEntry } from "../../../suites/_support/bundle-entry.ts";
import { FIXTURE_NONCE, FIXTURE_STATE, type FixtureConfig } from "./server-rendered.ts";
import { SINGLE_PAGE_DEFAULTS, type SinglePageConfig } from "./single-page.ts";

export { FIXTURE_NONCE, FIXTURE_STATE };

/** Which fixture: server-rendered.ts or single-page.ts. */
export type FixtureKind = "server-rendered" | "single-page";

export interface FixtureServiceOptions {
  /** Which fixture (default "server-rendered"); chosen at plan time, an override cannot change it. */
  kind?: FixtureKind;
  /** Server-rendered: `/` shows a "Continue to NHS login" link (default) or answers 302 to /authorize. */
  startPage?: "link" | "redirect";
  /** Server-rendered: what a failed callback does: crash the process (default), never answer, or a 200 page. */
  onError?: "die" | "hang" | "page";
  /** Server-rendered: `/account`: no route (default), 200 "Your account" whatever the cookies, or 404. */
  protectedPage?: "none" | "always-200" | "404";
  /**
   * Server-rendered: the sign-in link carries the hard-coded state and nonce ("static", default),
   * or neither ("none"). Single-page: a fresh random state and nonce per sign-in, kept and checked
   * server-side ("random", default), or neither ("none").
   */
  stateAndNonce?: "static" | "random" | "none";
  /** Single-page: the ID token is validated (default), or its validation is never awaited ("unvalidated"). */
  idToken?: "validated" | "unvalidated";
  /** Single-page: the API hands the tokens to the page, which keeps them in localStorage and shows them (default false). */
  tokensToPage?: boolean;
  /** Single-page: no Access-Control-* headers (default), or any Origin reflected with credentials on /api/* ("permissive"). */
  cors?: "none" | "permissive";
  /** Single-page: the code is redeemed by the API (default), or by the callback page's script itself, as a public client ("browser"). */
  tokenExchange?: "server" | "browser";
  /** Requested (and, at plan time, registered) scopes; default `openid profile`. */
  scopes?: string[];
  /** Requested (and registered) vectors of trust; default `["P9.Cp.Cd"]`. */
  vtr?: string[];
}

export const FIXTURE_CLIENT_ID = "nhslogin-conformance-fixture-server-rendered";
export const SINGLE_PAGE_CLIENT_ID = "nhslogin-conformance-fixture-single-page";

export interface FixtureServicePlan {
  port: number;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  redirectUri: string;
  clientId: string;
  publicKeyPem: string;
  /** PKCS#8 PEM; handed to the child in its environment, never written to disk. */
  privateKeyPem: string;
  options: Required<FixtureServiceOptions>;
  /** What to give the simulator (`startSimulator({ clients: [plan.registration] })`). */
  registration: ClientRegistration;
}

export interface FixtureService {
  plan: FixtureServicePlan;
  /** The base URL. */
  url: string;
  /** The landing page (`/`). */
  startUrl: string;
  redirectUri: string;
  /** `/account`: always for the single-page fixture; for the server-rendered one unless `protectedPage` is "none". */
  protectedUrl?: string;
  clientId: string;
  publicKeyPem: string;
  registration: ClientRegistration;
  /** The hard-coded state and nonce of every sign-in link (server-rendered only; the single-page ones are random). */
  state?: string;
  nonce?: string;
  /** Whether the current child process is still running. */
  alive(): boolean;
  /** Resolves true once the current child has exited, false if it still runs after `timeoutMs`. */
  waitForExit(timeoutMs?: number): Promise<boolean>;
  /** What the children printed (stdout and stderr, last 20 000 characters). */
  output(): string;
  /** SIGTERM, SIGKILL after 3 s; idempotent. */
  stop(): Promise<void>;
  /** Stop the child if it runs, and start a new one on the same port with the same key. */
  restart(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, "../../..");
const PROGRAMS: Record<FixtureKind, string> = {
  "server-rendered": "test/_support/fixture-services/server-rendered.ts",
  "single-page": "test/_support/fixture-services/single-page.ts",
};

/** The options each fixture reads (kind, scopes and vtr apart); giving another kind's is a mistake. */
const OWN_OPTIONS: Record<FixtureKind, ReadonlySet<keyof FixtureServiceOptions>> = {
  "server-rendered": new Set(["startPage", "onError", "protectedPage", "stateAndNonce"]),
  "single-page": new Set(["stateAndNonce", "idToken", "tokensToPage", "cors", "tokenExchange"]),
};
const SHARED_OPTIONS: ReadonlySet<string> = new Set(["kind", "scopes", "vtr"]);

const DEFAULTS: Record<FixtureKind, Required<FixtureServiceOptions>> = {
  "server-rendered": {
    kind: "server-rendered",
    startPage: "link",
    onError: "die",
    protectedPage: "none",
    stateAndNonce: "static",
    // Not read by this fixture; there so that every plan's options are complete.
    idToken: "unvalidated",
    tokensToPage: false,
    cors: "none",
    tokenExchange: "server",
    scopes: ["openid", "profile"],
    vtr: ["P9.Cp.Cd"],
  },
  "single-page": {
    kind: "single-page",
    // Not read by this fixture; there so that every plan's options are complete.
    startPage: "link",
    onError: "page",
    protectedPage: "none",
    ...SINGLE_PAGE_DEFAULTS,
    scopes: [...SINGLE_PAGE_DEFAULTS.scopes],
    vtr: [...SINGLE_PAGE_DEFAULTS.vtr],
  },
};

/** Throw a TypeError on an option the fixture of `kind` does not read, or a value it does not know. */
function checkOptions(kind: FixtureKind, options: Partial<FixtureServiceOptions>): void {
  if (!(kind in DEFAULTS)) throw new TypeError(`unknown fixture kind "${String(kind)}"`);
  for (const key of Object.keys(options) as (keyof FixtureServiceOptions)[]) {
    if (!SHARED_OPTIONS.has(key) && !OWN_OPTIONS[kind].has(key)) throw new TypeError(`the ${kind} fixture has no option "${key}"`);
  }
  const sn = options.stateAndNonce;
  if (sn !== undefined && sn !== "none" && sn !== DEFAULTS[kind].stateAndNonce) {
    throw new TypeError(`the ${kind} fixture's stateAndNonce is "${DEFAULTS[kind].stateAndNonce}" or "none", not "${sn}"`);
  }
}

/** Pick a port, generate the RSA-2048 key pair, and describe the registration. */
export async function planFixtureService(options: FixtureServiceOptions & { clientId?: string } = {}): Promise<FixtureServicePlan> {
  const { kind = "server-rendered", clientId = kind === "single-page" ? SINGLE_PAGE_CLIENT_ID : FIXTURE_CLIENT_ID, ...rest } = options;
  const given = definedOnly(rest);
  checkOptions(kind, given);
  const merged = { ...DEFAULTS[kind], ...given };
  const [port, { privateKey, publicKey }] = await Promise.all([freePort(), generateRsaKeyPair({ bits: 2048 })]);
  const baseUrl = `http://127.0.0.1:${port}`;
  const redirectUri = `${baseUrl}/callback`;
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    port,
    baseUrl,
    redirectUri,
    clientId,
    publicKeyPem,
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    options: merged,
    registration: {
      clientId,
      name: `nhslogin-conformance ${kind} fixture`,
      redirectUris: [redirectUri],
      publicKey: publicKeyPem,
      scopes: merged.scopes.filter((s) => s !== "openid"),
      vtr: [...merged.vtr],
    },
  };
}

/**
 * Start the fixture for `plan` against `issuer` and wait (at most `timeoutMs`) until it listens.
 * `overrides` change its behaviour (or what it requests) without changing its registration.
 */
export async function launchFixtureService(
  plan: FixtureServicePlan,
  issuer: string,
  overrides: FixtureServiceOptions = {},
  timeoutMs = 20_000,
): Promise<FixtureService> {
  const kind = plan.options.kind;
  const given = definedOnly(overrides);
  if (given.kind !== undefined && given.kind !== kind) throw new TypeError(`the plan is for the ${kind} fixture, not ${given.kind}`);
  checkOptions(kind, given);
  const options = { ...plan.options, ...given };
  const common = { issuer, clientId: plan.clientId, port: plan.port, baseUrl: plan.baseUrl, redirectUri: plan.redirectUri };
  const config: FixtureConfig | SinglePageConfig =
    kind === "single-page"
      ? {
          ...common,
          stateAndNonce: options.stateAndNonce === "random" ? "random" : "none",
          idToken: options.idToken,
          tokensToPage: options.tokensToPage,
          cors: options.cors,
          tokenExchange: options.tokenExchange,
          scopes: options.scopes,
          vtr: options.vtr,
        }
      : {
          ...common,
          startPage: options.startPage,
          onError: options.onError,
          protectedPage: options.protectedPage,
          stateAndNonce: options.stateAndNonce === "static" ? "static" : "none",
          scopes: options.scopes,
          vtr: options.vtr,
        };
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("FIXTURE_")));
  env.FIXTURE_OPTIONS = JSON.stringify(config);
  env.FIXTURE_PRIVATE_KEY = plan.privateKeyPem;

  let out = "";
  let child: ChildProcess | undefined;
  let stopped = false;
  const killNow = () => child?.kill("SIGKILL");
  process.once("exit", killNow);
  const gone = (c: ChildProcess | undefined) => !c || c.exitCode !== null || c.signalCode !== null;

  async function start(): Promise<void> {
    // stdin is a pipe the child watches: if this process dies, the child exits too.
    const program = await bundleEntry(ROOT, PROGRAMS[kind]);
    const c = spawn(process.execPath, ["--enable-source-maps", program], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    child = c;
    const append = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
    c.stdout!.on("data", append);
    c.stderr!.on("data", append);
    c.stdin!.on("error", () => undefined);
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`the fixture service did not start within ${timeoutMs} ms`)), timeoutMs);
      let said = "";
      c.stdout!.on("data", (d: Buffer) => {
        said = (said + d.toString()).slice(-1000);
        if (/listening on/.test(said)) {
          clearTimeout(timer);
          res();
        }
      });
      c.once("exit", (code, signal) => {
        clearTimeout(timer);
        rej(new Error(`the fixture service exited (${signal ?? `code ${code}`}) before it was ready`));
      });
    }).catch(async (err: Error) => {
      await stopProcess(c);
      throw new Error(`${err.message}\n${out.trim()}`);
    });
  }

  const stop = async () => {
    stopped = true;
    process.off("exit", killNow);
    if (child) await stopProcess(child);
  };
  /** Start a child; on failure leave nothing running. */
  const startOrStop = async () => {
    try {
      await start();
    } catch (err) {
      await stop();
      throw err;
    }
  };
  await startOrStop();
  return {
    plan,
    url: plan.baseUrl,
    startUrl: `${plan.baseUrl}/`,
    redirectUri: plan.redirectUri,
    ...(kind === "single-page" || options.protectedPage !== "none" ? { protectedUrl: `${plan.baseUrl}/account` } : {}),
    clientId: plan.clientId,
    publicKeyPem: plan.publicKeyPem,
    registration: plan.registration,
    ...(kind === "server-rendered" ? { state: FIXTURE_STATE, nonce: FIXTURE_NONCE } : {}),
    alive: () => !gone(child),
    waitForExit: (ms = 5000) => {
      const c = child;
      if (gone(c)) return Promise.resolve(true);
      return new Promise((res) => {
        const timer = setTimeout(() => res(false), ms);
        c!.once("exit", () => {
          clearTimeout(timer);
          res(true);
        });
      });
    },
    output: () => out,
    stop,
    restart: async () => {
      if (stopped) throw new Error("the fixture service was stopped");
      if (child) await stopProcess(child);
      await startOrStop();
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
