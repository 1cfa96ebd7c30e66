/**
 * Start the embedded NHS login simulator in-process, on loopback.
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ clients: [{ clientId: "my-service", redirectUris: ["https://svc.example/cb"], publicKey: pem }] })
 * sim.arm({ faults: ["id-token-nonce-wrong"] })
 * // ... drive a sign-in against sim.issuer ...
 * await sim.stop()
 * ```
 */
import { ageGrant, type AgeGrantRequest } from "./age-grant.ts";
import { randomBytes, timingSafeEqual } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import formbody from "@fastify/formbody";
import cookie from "@fastify/cookie";
import type { SimulatorContext, ClientAssertionPolicy } from "./context.ts";
import { endpointsFor, usersScopeFor } from "./context.ts";
import { keysForDefects, simulatorKeys } from "./keys.ts";
import type { SharedState } from "./workers/shared-state.ts";
import { PERSONAS, type Persona } from "./personas.ts";
import { registerClient, type ClientRegistration, type RegisteredClient } from "./clients.ts";
import { stateOps } from "./state-ops.ts";
import { armedRecords } from "./armed-records.ts";
import { SimulatorState, type Dropped, type SimulatorEvent } from "./state.ts";
import type { SimulatorLimits } from "./limits.ts";
import { isDefectId, type DefectId, type FaultId } from "./faults.ts";
import { applyHook } from "./hooks/apply-hook.ts";
import { installErrorHandling, sendError } from "./routes/error-handling.ts";
import { answerClientError, refuseConnect } from "./routes/client-error.ts";
import { parseDetached } from "./routes/detached-params.ts";
import { OAuthError } from "./errors.ts";
import { registerDiscovery } from "./routes/discovery.ts";
import { registerAuthorize } from "./routes/authorize.ts";
import { registerToken } from "./routes/token.ts";
import { registerUserinfo } from "./routes/userinfo.ts";
import { registerUsersV2 } from "./routes/users-v2.ts";
import { registerProvisionAccount } from "./routes/provision-account.ts";
import { registerControl } from "./routes/control.ts";
import type { KeyObject } from "node:crypto";

export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Issuer to advertise; default `http://127.0.0.1:<port>`. */
  issuer?: string;
  /** Registered clients (the harness's own, the service under test). */
  clients?: ClientRegistration[];
  /** People who can sign in; default {@link PERSONAS}. */
  personas?: readonly Persona[];
  /** Persona signed in when no scenario names one; default `p9`. */
  defaultPersona?: string;
  /** Environment defects to start with. */
  defects?: DefectId[];
  /** The RS512 signing key; default a fresh 2048-bit key (1024 with the weak-signing-key defect). */
  signingKey?: KeyObject;
  /** The Users.retrieve scope string; default `<issuer>/Users.retrieve`. */
  usersScope?: string;
  /** Client-assertion policy; defaults: RS512 only, at most 600 s ahead, 60 s skew. */
  clientAssertion?: Partial<ClientAssertionPolicy>;
  /** Show a persona picker page on /authorize instead of signing in automatically. */
  interactive?: boolean;
  /**
   * Refuse an authorization request without `state` or `nonce` (default true, as NHS login does).
   * The service suite sets it false, so that a service that sends neither still signs in and its
   * later scenarios stay observable; the checks of state and nonce fail on what it sent.
   */
  requireStateAndNonce?: boolean;
  /** Serve https with this certificate and key (PEM), e.g. from makeRunCertificates(); default plain http. */
  tls?: { cert: string; key: string };
  /**
   * Called with every event the simulator records, as recorded (tokens decoded, never raw), and
   * kept across resets: the journal (`npm run simulator -- --journal <file>`) is written from it.
   */
  onEvent?: (event: SimulatorEvent) => void;
  /** Secret for the control endpoint; default 32 random bytes. */
  controlSecret?: string;
  /** How much it keeps in memory (stores and event log); default DEFAULT_LIMITS in limits.ts. */
  limits?: Partial<SimulatorLimits>;
  /**
   * Set by a worker of `--workers` (lib/simulator/workers/): the state, keys and defects are the
   * owner's, shared by every worker, and reached through the control channel; the returned
   * Simulator's `events`, `dropped`, `state`, `arm`, `reset` and `age` are then the worker's own,
   * unused. Without it the simulator keeps its own state.
   */
  shared?: SharedState;
}

export interface ArmRequest {
  faults?: FaultId[];
  /** Persona for the sign-in(s). */
  persona?: string;
  /**
   * The person completes NHS login's uplift to this level during the sign-in(s), keeping their sub
   * (a step-up from P5 to P9, say); without it a person below every requested vector declines.
   */
  uplift?: "P5" | "P9";
  /** Only sign-ins of this client take the scenario. */
  clientId?: string;
  /**
   * Number of sign-ins it applies to (default 1), or of searches / token requests for a Users V2
   * consumer fault (armed apart from the sign-in faults); `Infinity` until reset.
   */
  times?: number;
  /**
   * A share of the sign-ins (or calls): the faults apply to every `every`-th one only, e.g. 20 for
   * 5 % of a load test's sign-ins (with `times: Infinity`). Deterministic, so runs repeat. Default 1.
   */
  every?: number;
  /**
   * How long its slow-answer faults hold an answer, in ms (1 to 60000): `slow-authorize`, `slow-token`
   * and `slow-userinfo` (default 2000), `uev2-answer-slow` and `pa-answer-slow` (default 1200).
   */
  delayMs?: number;
}

export interface Simulator {
  /** The issuer URL (no trailing slash). */
  readonly issuer: string;
  /** Base URL of the listener. */
  readonly url: string;
  readonly port: number;
  readonly controlSecret: string;
  readonly usersScope: string;
  readonly context: SimulatorContext;
  /** What it remembers (codes, tokens, sessions, armed scenarios, events), for tests that look inside. */
  readonly state: SimulatorState;
  /** Everything the simulator saw, oldest first (the newest within its limits). */
  readonly events: readonly SimulatorEvent[];
  /** What its limits made it forget: store entries, events, and events cut to size. */
  readonly dropped: Readonly<Dropped>;
  /** Arm a fault scenario for the next sign-in(s). Throws TypeError on an unknown fault or persona. */
  arm(request: ArmRequest): void;
  /** Replace the active environment defects. */
  setDefects(defects: DefectId[]): Promise<void>;
  /** Forget codes, tokens, sessions, armed scenarios and events. */
  reset(): void;
  /** Make one code or refresh token `seconds` older (false when unknown): see {@link ageGrant}. */
  age(request: AgeGrantRequest): boolean;
  /** Shift the simulator clock by `seconds` (tests of expiry). */
  advanceClock(seconds: number): void;
  /** Register another client at run time. */
  addClient(reg: ClientRegistration): RegisteredClient;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const defects = new Set<DefectId>(options.defects ?? []);
  for (const d of defects) if (!isDefectId(d)) throw new TypeError(`unknown defect "${d}"`);
  const personas = options.personas ?? PERSONAS;
  const defaultPersona = options.defaultPersona ?? "p9";
  if (!personas.some((p) => p.id === defaultPersona)) throw new TypeError(`unknown persona "${defaultPersona}"`);

  const app: FastifyInstance = Fastify({
    ...(options.tls ? { https: tlsServerOptions(options.tls, defects) } : {}),
    logger: false,
    forceCloseConnections: true,
    bodyLimit: 256 * 1024,
    // Parameters in memory of their own, never slices of the request (routes/detached-params.ts).
    routerOptions: { maxParamLength: 512, querystringParser: parseDetached },
    // A request Node's parser refuses (431, 400, 408) is answered with Connection: close.
    clientErrorHandler: answerClientError,
    // A malformed URL (bad percent-encoding in the path) gets its endpoint's spec error too.
    frameworkErrors: (_err, req, reply) => {
      sendError(req, reply, new OAuthError("invalid_request", "the request URL is malformed"));
    },
  });
  app.server.on("connect", refuseConnect);
  await app.register(formbody, { bodyLimit: 256 * 1024, parser: parseDetached });
  await app.register(cookie);
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, { __unparsed: body }));

  let clockOffset = 0;
  const state = new SimulatorState(options.limits);
  const shared = options.shared;
  const ops = shared?.ops ?? stateOps(state);
  const keys = shared?.keys ?? (await simulatorKeys(options.signingKey, defects));
  const controlSecret = options.controlSecret ?? randomBytes(32).toString("base64url");
  const clients = new Map<string, RegisteredClient>();
  // Validate registrations now (fail before listening); they are resolved again once the
  // Users.retrieve scope is known.
  for (const reg of options.clients ?? []) registerClient(reg);

  // Routes need the issuer, known only after listen() when the port is 0: fill it in then.
  const stopping = new AbortController();
  const ctx: SimulatorContext = {
    issuer: "",
    endpoints: endpointsFor("http://127.0.0.1"),
    keys,
    clients,
    personas,
    defaultPersona,
    defects,
    ops,
    usersScope: "",
    clientAssertion: {
      algorithms: options.clientAssertion?.algorithms ?? ["RS512"],
      maxLifetimeSeconds: options.clientAssertion?.maxLifetimeSeconds ?? 600,
      clockToleranceSeconds: options.clientAssertion?.clockToleranceSeconds ?? 60,
    },
    interactive: options.interactive ?? false,
    requireStateAndNonce: options.requireStateAndNonce ?? true,
    now: () => Math.floor(Date.now() / 1000) + clockOffset,
    stopping: stopping.signal,
    record: (event) => {
      const stamped = { ...event, at: Math.floor(Date.now() / 1000) + clockOffset };
      // A worker's event goes to the owner, which keeps and journals it (answered before the reply: flush).
      if (shared) {
        void ops.record(stamped).catch((err: Error) => process.stderr.write(`simulator: an event was lost: ${err.message}\n`));
        return;
      }
      const kept = state.record(stamped);
      options.onEvent?.(kept);
    },
  };

  installErrorHandling(app);
  registerDiscovery(app, ctx);
  registerAuthorize(app, ctx);
  registerToken(app, ctx);
  registerUserinfo(app, ctx);
  registerUsersV2(app, ctx);
  registerProvisionAccount(app, ctx);
  registerControl(app, ctx, {
    authorize: (header) => checkSecret(header, controlSecret),
    arm: async (req) => {
      const { scenario, perCall } = armedRecords(req, personas);
      await ops.arm(scenario, perCall);
    },
    // A worker asks the owner, which sets them (and new keys, if they change the key size) in every worker.
    setDefects: (d) => (shared ? shared.setDefects(d) : setDefects(d)),
    reset: () => ops.reset(),
    age: (req) => ops.age(req),
  });
  if (shared) {
    shared.onDefects((list, sharedKeys) => {
      defects.clear();
      list.forEach((d) => defects.add(d));
      ctx.keys = sharedKeys;
      if (options.tls) (app.server as unknown as import("node:tls").Server).setSecureContext(tlsServerOptions(options.tls, defects));
    });
    // What a request changed reaches the owner before its answer leaves: a request that follows
    // on another worker (a code exchange, the control channel's events) finds it there.
    const worker = String(shared.worker);
    app.addHook("onSend", async (_req, reply, payload) => {
      reply.header("x-simulator-worker", worker);
      await shared.flush();
      return payload;
    });
  }

  await app.listen({ host: "127.0.0.1", port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  ctx.issuer = options.issuer ?? url;
  ctx.endpoints = endpointsFor(ctx.issuer);
  ctx.usersScope = options.usersScope ?? usersScopeFor(ctx.issuer);
  for (const reg of options.clients ?? []) {
    const c = registerClient(reg, ctx.usersScope);
    clients.set(c.clientId, c);
  }
  const sweeper = setInterval(() => state.sweep(ctx.now()), 60_000);
  sweeper.unref();

  function arm(req: ArmRequest): void {
    const { scenario, perCall } = armedRecords(req, personas);
    state.arm(scenario, perCall);
  }

  async function setDefects(list: DefectId[]): Promise<void> {
    for (const d of list) if (!isDefectId(d)) throw new TypeError(`unknown defect "${String(d)}"`);
    const next = new Set(list);
    // The new keys first, then defects and keys together.
    const keys = await keysForDefects(ctx.keys, defects, next, options.signingKey);
    defects.clear();
    for (const d of next) defects.add(d);
    ctx.keys = keys;
    // The https mode's versions follow the defects from the next handshake on.
    if (options.tls) (app.server as unknown as import("node:tls").Server).setSecureContext(tlsServerOptions(options.tls, defects));
  }

  return {
    issuer: ctx.issuer,
    url,
    port,
    controlSecret,
    usersScope: ctx.usersScope,
    context: ctx,
    state,
    get events() {
      return state.events;
    },
    get dropped() {
      return state.dropped;
    },
    arm,
    setDefects,
    reset: () => state.reset(),
    age: (request) => ageGrant(state, request),
    advanceClock: (seconds) => {
      clockOffset += seconds;
    },
    addClient: (reg) => {
      const c = registerClient(reg, ctx.usersScope);
      clients.set(c.clientId, c);
      return c;
    },
    stop: async () => {
      clearInterval(sweeper);
      // Held answers go out now, and every connection is closed with the server (forceCloseConnections),
      // so that a stop during a slow answer does not wait for it or for the keep-alive that follows.
      stopping.abort();
      await app.close();
    },
  };
}

/**
 * The https mode's secure context: TLS 1.2 and later, or from TLS 1.0 when a defect says so (the
 * tlsMinimumVersion hook; OpenSSL's security level 0 lets the old versions' ciphers through).
 */
function tlsServerOptions(tls: { cert: string; key: string }, defects: Set<DefectId>) {
  const min = applyHook({ defects }, "tlsMinimumVersion", "TLSv1.2");
  return { cert: tls.cert, key: tls.key, minVersion: min, ...(min === "TLSv1" ? { ciphers: "DEFAULT@SECLEVEL=0" } : {}) };
}

function checkSecret(header: string | undefined, secret: string): boolean {
  if (!header?.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice(7));
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
