/**
 * `npm run bench`: throughput and latency figures for this machine (no pass/fail). See bench/README.md.
 *
 * 1. RS512 signatures (and verifications) per second, node:crypto, 2048-bit key, one thread.
 * 2. Full code flows per second, 50 concurrent clients, simulator in a child process.
 * 3. Users V2 (jwt-bearer token + search by NHS number), 50 concurrent.
 * 4. Token endpoint side by side with panva's oidc-provider (bench/_oidc-provider-process.ts), the same
 *    RS512 work per request on both: 4a its client_credentials grant (private_key_jwt RS512 assertion
 *    verified and its jti recorded, an RS512 JWT access token signed), 4b our jwt-bearer grant.
 *    BENCH_ROUNDS interleaved rounds (ours, peer, ours, peer, ...): req/s and server CPU ms per
 *    request, median and min–max, their ratios, and each side's share of its crypto bound.
 * 2p. The full code flow side by side, in interleaved rounds too: ours (figure 2), oidc-provider
 *    with a login interaction in every flow, and oidc-provider with each virtual client's session
 *    (cookies) kept, so that only its first flow signs in.
 * 5. A full default conformance run (`npm run conformance`), timed several times: median, spread,
 *    and where the time goes (see bench/_conformance.ts).
 * 6. The service suite's Users V2 consumer checks against the reference service beside its
 *    sign-in checks, each part alone, with their ratio.
 * 7. Soak: the simulator's resident memory after 100,000 mixed requests (code flows, Users V2,
 *    malformed requests), against the documented ceiling (bench/_soak.ts).
 * 8. The whole service suite against the reference service over HTTP and in browser mode.
 * 9. The simulator in one process beside `--workers N` (lib/simulator/workers/), the token endpoint
 *    and the code flow, in interleaved rounds; the workers' CPU counts the owner and every worker.
 * 10. The token endpoint's floor (BENCH_ONLY=floor only): requests signed before each round, the
 *    simulator and oidc-provider beside two servers that answer a fixed token (node:http, Fastify),
 *    and what a token endpoint at half the peer's CPU would leave for the grant itself.
 *
 * Env: BENCH_SECONDS (measured window per figure, default 5), BENCH_WARMUP_SECONDS (default 1),
 * BENCH_CONCURRENCY (default 50, 1 to 1000), BENCH_CONFORMANCE_RUNS (default 3, 1 to 5; 0 skips figure 5),
 * BENCH_ONLY=conformance (figure 5 alone), BENCH_ONLY=soak (figure 7 alone), BENCH_ONLY=driver (figure 8
 * alone), BENCH_ONLY=peer (figures 1, 4 and 2p alone), BENCH_ONLY=floor (figures 1 and 10 alone),
 * BENCH_ONLY=workers (figures 1 and 9 alone; BENCH_WORKERS workers, default one per core), BENCH_ROUNDS
 * (rounds of each side in figures 4, 2p, 9 and 10, default 3, 1 to 9), BENCH_SOAK_REQUESTS
 * (default 100000, rounded to whole units of 10 requests; 0 skips figure 7).
 */
import os from "node:os";
import { readFileSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Agent } from "undici";
import { measureRs512, type CryptoRates } from "./_crypto.ts";
import { procCpuMicros, startChild, type Child } from "./_child.ts";
import { percentile, runLoad, type LoadResult } from "./_load.ts";
import {
  CLIENT_ID,
  REDIRECT_URI,
  CookieJar,
  codeFlow,
  peerClientCredentials,
  peerClientCredentialsForm,
  peerCodeFlow,
  pool,
  postTokenForm,
  usersV2Flow,
  usersV2Token,
  usersV2TokenForm,
  type PeerTarget,
  type SimulatorTarget,
} from "./_flows.ts";
import { conformanceLines, measureConformanceRuns, measureDriverModes, measureServiceParts } from "./_conformance.ts";
import { runSoak, soakLines } from "./_soak.ts";
import { PresignedForms } from "./_presigned.ts";

const SECONDS = clamp(Number(process.env.BENCH_SECONDS) || 5, 1, 20);
const WARMUP_SECONDS = clamp(Number(process.env.BENCH_WARMUP_SECONDS) || 1, 0, 5);
const CONCURRENCY = clamp(Math.round(Number(process.env.BENCH_CONCURRENCY) || 50), 1, 1000);
const CONFORMANCE_RUNS =
  process.env.BENCH_CONFORMANCE_RUNS === "0" ? 0 : clamp(Math.round(Number(process.env.BENCH_CONFORMANCE_RUNS) || 3), 1, 5);
const ONLY_CONFORMANCE = process.env.BENCH_ONLY === "conformance";
const ONLY_SOAK = process.env.BENCH_ONLY === "soak";
const ONLY_PEER = process.env.BENCH_ONLY === "peer";
const ROUNDS = clamp(Math.round(Number(process.env.BENCH_ROUNDS) || 3), 1, 9);
const SOAK_REQUESTS =
  process.env.BENCH_SOAK_REQUESTS === "0" ? 0 : clamp(Math.round(Number(process.env.BENCH_SOAK_REQUESTS) || 100_000), 10, 10_000_000);

interface SimulatorInfo {
  issuer: string;
  url: string;
  usersScope: string;
  tokenEndpoint: string;
  controlSecret: string;
}
interface PeerInfo {
  issuer: string;
  tokenEndpoint: string;
  resource: string;
}

interface Row {
  name: string;
  rate: number;
  p50?: number;
  p95?: number;
  p99?: number;
  errors?: number;
  cpuMsPerOp?: number;
  cores?: number;
  /** CPU of the load generator (this process: client signing, HTTP client), in cores. */
  genCores?: number;
  /** CPU used by everything else on the machine during the window, in cores (Linux only). */
  otherCores?: number;
  note?: string;
}

const children: Child<unknown>[] = [];
const agents: Agent[] = [];
let cleaning: Promise<void> | undefined;
let interrupted = false;

function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    await Promise.allSettled(agents.map((a) => a.destroy()));
    await Promise.allSettled(children.map((c) => c.stop()));
  })());
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n[bench] ${signal}: stopping servers\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  const cores = cpus.length;
  console.log("nhslogin-conformance benchmark");
  console.log(
    `machine: ${cores} × ${cpus[0]?.model.trim() ?? "unknown CPU"} | ${os.platform()} ${os.arch()} ${os.release()} | ` +
      `RAM ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB | load avg ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );
  console.log(
    `node ${process.version} | concurrency ${CONCURRENCY} | ` +
      `warm-up ${WARMUP_SECONDS} s + measured ${SECONDS} s per load figure | servers in child processes`,
  );
  console.log("");

  if (ONLY_SOAK) {
    await soakFigure();
    return;
  }
  if (process.env.BENCH_ONLY === "driver") {
    for (const line of await measureDriverModes()) console.log(line);
    return;
  }
  if (ONLY_CONFORMANCE) {
    await conformanceFigure();
    console.log("");
    for (const line of await measureServiceParts()) console.log(line);
    return;
  }

  const rows: Row[] = [];
  const notes: string[] = [];

  // 1. The crypto bound.
  process.stderr.write("[bench] 1/4 RS512 signatures (2 s)...\n");
  const crypto: CryptoRates = measureRs512(2_000);
  rows.push(...cryptoRows(crypto));

  if (process.env.BENCH_ONLY === "workers") {
    printTable(rows);
    console.log("");
    const { sim, target } = await startSimulatorChild();
    const workerRows = await workersFigures(crypto, sim, target);
    const failing = workerRows.filter((r) => (r.errors ?? 0) > 0);
    console.log("");
    console.log(failing.length === 0 ? "Errors: none." : `Errors in: ${failing.map((r) => r.name.trim()).join("; ")} (details above).`);
    return;
  }

  if (process.env.BENCH_ONLY === "floor") {
    printTable(rows);
    console.log("");
    const { sim, target } = await startSimulatorChild();
    await usersV2Token(target); // fail fast, with the reason, if the grant itself is broken
    const floorRows = await floorFigure(crypto, sim, target);
    const failing = floorRows.filter((r) => (r.errors ?? 0) > 0);
    console.log("");
    console.log(failing.length === 0 ? "Errors: none." : `Errors in: ${failing.map((r) => r.name.trim()).join("; ")} (details above).`);
    return;
  }

  if (ONLY_PEER) {
    printTable(rows);
    console.log("");
    const { sim, target } = await startSimulatorChild();
    const ready = await usersV2Flow(target).then(
      () => undefined,
      (err: Error) => err.message,
    );
    const peerRows = await peerFigures(crypto, sim, target, ready);
    const failing = peerRows.filter((r) => (r.errors ?? 0) > 0);
    console.log("");
    console.log(failing.length === 0 ? "Errors: none." : `Errors in: ${failing.map((r) => r.name.trim()).join("; ")} (details above).`);
    return;
  }

  // The simulator, in its own process, with our client registered.
  const { sim, target } = await startSimulatorChild();

  // 2. Full code flows.
  await codeFlow(target); // fail fast, with the reason, if the flow itself is broken
  process.stderr.write(`[bench] 2/4 code flow (${WARMUP_SECONDS + SECONDS} s)...\n`);
  rows.push(await measure("2. code flow: authorize+token+userinfo", () => codeFlow(target), sim));

  // 3. Users V2.
  const usersReady = await usersV2Flow(target).then(
    () => undefined,
    (err: Error) => err.message,
  );
  if (usersReady === undefined) {
    process.stderr.write(`[bench] 3/4 Users V2 (${WARMUP_SECONDS + SECONDS} s)...\n`);
    rows.push(await measure("3. Users V2: jwt-bearer token+search", () => usersV2Flow(target), sim));
  } else {
    rows.push({ name: "3. Users V2: jwt-bearer token+search", rate: Number.NaN, note: `n/a: ${usersReady.slice(0, 80)}` });
  }

  printTable(rows);

  const s = crypto.signsPerSecond;
  notes.push(
    `Crypto ceilings from figure 1 (${cores} cores × ${fmtRate(s)} signs/s; signatures only, ignoring verification, JSON and HTTP):`,
    `  code flow   3 signatures (client assertion, ID token, access token) → ≤ ${fmtRate((cores * s) / 3)} flows/s`,
    `  Users V2    2 signatures (client assertion, Users V2 access token)  → ≤ ${fmtRate((cores * s) / 2)} flows/s`,
    "",
    "Reading: srv cores ≈ 1 (or gen cores ≈ 1) marks the side that saturated; on 2 cores the load generator",
    "and the server compete, so compare srv CPU ms/op for the server's own cost per operation. other cores",
    "is CPU taken by unrelated processes during the window: well above 0 means the figures are depressed.",
  );
  console.log("");
  for (const n of notes) console.log(n);

  // 4 and 2p. Side by side with oidc-provider, interleaved rounds.
  console.log("");
  rows.push(...(await peerFigures(crypto, sim, target, usersReady)));

  // 9. One process beside --workers, interleaved rounds.
  console.log("");
  rows.push(...(await workersFigures(crypto, sim, target)));

  const failing = rows.filter((r) => (r.errors ?? 0) > 0);
  console.log("");
  console.log(failing.length === 0 ? "Errors: none." : `Errors in: ${failing.map((r) => r.name.trim()).join("; ")} (details above).`);

  // 7. The soak, on a simulator of its own (the others are stopped first).
  await cleanup();
  cleaning = undefined;
  children.length = 0;
  agents.length = 0;
  if (SOAK_REQUESTS > 0) {
    console.log("");
    await soakFigure();
  }

  // 5. The conformance run itself, after the load figures (their servers are idle by now).
  if (CONFORMANCE_RUNS > 0) {
    await cleanup();
    console.log("");
    await conformanceFigure();
    console.log("");
    for (const line of await measureServiceParts()) console.log(line);
    console.log("");
    for (const line of await measureDriverModes()) console.log(line);
  }
}

/**
 * A simulator child process with the bench client registered, and a pool of connections to it;
 * with `workers`, the simulator on that many processes (`--workers`).
 */
async function startSimulatorChild(workers?: number): Promise<{ sim: Child<SimulatorInfo>; target: SimulatorTarget }> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const script = workers === undefined ? "./_simulator-process.ts" : "./_simulator-workers-process.ts";
  const sim = await startChild<SimulatorInfo>(fileURLToPath(new URL(script, import.meta.url)), {
    ...(workers === undefined ? {} : { BENCH_WORKERS: String(workers) }),
    BENCH_CLIENT_ID: CLIENT_ID,
    BENCH_REDIRECT_URI: REDIRECT_URI,
    BENCH_CLIENT_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }).toString(),
  });
  children.push(sim);
  const agent = pool(CONCURRENCY);
  agents.push(agent);
  const target = {
    agent,
    url: sim.info.url,
    tokenEndpoint: sim.info.tokenEndpoint,
    usersScope: sim.info.usersScope,
    clientKey: privateKey,
  };
  return { sim, target };
}

/** Figure 7: a fresh simulator child, SOAK_REQUESTS mixed requests, its RSS and what its limits dropped. */
async function soakFigure(): Promise<void> {
  const { sim, target } = await startSimulatorChild();
  const units = Math.max(1, Math.round(SOAK_REQUESTS / 10));
  process.stderr.write(`[bench] 7 soak: ${units * 10} requests...\n`);
  const result = await runSoak(target, sim.pid, sim.info.controlSecret, units, CONCURRENCY);
  for (const line of soakLines(result)) console.log(line);
  await target.agent.close();
  await sim.stop();
}

/** Figure 5: time full default conformance runs (child processes, one after the other). */
async function conformanceFigure(): Promise<void> {
  const runs = CONFORMANCE_RUNS || 3;
  const load = os.loadavg()[0]!;
  const figure = await measureConformanceRuns(runs);
  for (const line of conformanceLines(figure)) console.log(line);
  console.log(
    `   load average before: ${load.toFixed(2)} on ${os.cpus().length} cores; ` +
      "target (issue 17): at most 4.5 s on a 2-core machine, each check added after it at most 15 ms.",
  );
}

function cryptoRows(crypto: CryptoRates): Row[] {
  return [
    { name: "1. RS512 sign, node:crypto, 1 thread", rate: crypto.signsPerSecond, p50: crypto.signMs, note: "p50 = mean ms per signature" },
    {
      name: "   RS512 verify, node:crypto, 1 thread",
      rate: crypto.verifiesPerSecond,
      p50: 1000 / crypto.verifiesPerSecond,
      note: "p50 = mean ms per verification",
    },
  ];
}

/** One side of an interleaved comparison and the RS512 work its server does per operation. */
interface Side {
  label: string;
  task: () => Promise<void>;
  server: Child<unknown>;
  signs: number;
  verifies: number;
  /** What the server signs and verifies, for the bound's legend. */
  work: string;
  /** A note for each round's row, read after the round (e.g. how many flows signed in). */
  roundNote?: () => string;
  /** Work before each of its rounds, outside the measured window (figure 10 signs its requests). */
  beforeRound?: () => Promise<void>;
}

/** oidc-provider in a child process (bench/_oidc-provider-process.ts) with the bench client registered, and a pool of connections to it. */
async function startPeerChild(): Promise<{ peer: Child<PeerInfo>; pt: PeerTarget }> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const peer = await startChild<PeerInfo>(fileURLToPath(new URL("./_oidc-provider-process.ts", import.meta.url)), {
    NODE_ENV: "production",
    BENCH_CLIENT_ID: CLIENT_ID,
    BENCH_REDIRECT_URI: REDIRECT_URI,
    BENCH_CLIENT_JWK: JSON.stringify(publicKey.export({ format: "jwk" })),
    BENCH_RESOURCE: "urn:bench:api",
    BENCH_ACCOUNT_ID: "bench-account",
  });
  children.push(peer);
  const agent = pool(CONCURRENCY);
  agents.push(agent);
  const pt: PeerTarget = {
    agent,
    url: peer.info.issuer,
    tokenEndpoint: peer.info.tokenEndpoint,
    resource: peer.info.resource,
    clientKey: privateKey,
  };
  return { peer, pt };
}

/**
 * Figures 4 and 2p: our simulator beside oidc-provider (bench/_oidc-provider-process.ts), each
 * figure measured in ROUNDS interleaved rounds (ours, peer, ours, peer, ...). Returns every round's
 * row (for the error summary).
 */
async function peerFigures(
  crypto: CryptoRates,
  sim: Child<SimulatorInfo>,
  target: SimulatorTarget,
  usersReady: string | undefined,
): Promise<Row[]> {
  const { peer, pt } = await startPeerChild();

  // Fail fast, with the reason, if a flow is broken: a token, a flow with a login, one without.
  await peerClientCredentials(pt);
  const probe = new CookieJar();
  if (!(await peerCodeFlow(pt, probe)).login) throw new Error("oidc-provider: a first code flow did not go through the login");
  if ((await peerCodeFlow(pt, probe)).login) throw new Error("oidc-provider: a second code flow with the same cookies signed in again");

  const all: Row[] = [];
  const window = `${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured each`;

  // 4. The token endpoint.
  console.log(`4. Token endpoint side by side: ${ROUNDS} interleaved rounds (ours, peer, ...), ${CONCURRENCY} concurrent, ${window}`);
  if (usersReady === undefined) {
    const bothWork = "verify 1 RS512 client assertion + record its jti, sign 1 RS512 access token";
    const sides: Side[] = [
      {
        label: "4b. simulator /token jwt-bearer",
        task: () => usersV2Token(target).then(() => undefined),
        server: sim,
        signs: 1,
        verifies: 1,
        work: bothWork,
      },
      {
        label: "4a. oidc-provider /token client_credentials",
        task: () => peerClientCredentials(pt),
        server: peer,
        signs: 1,
        verifies: 1,
        work: bothWork,
      },
    ];
    all.push(...(await interleaved("4", sides, crypto)));
  } else {
    console.log(`   n/a: our jwt-bearer grant is not available (${usersReady.slice(0, 80)})`);
  }

  // 2p. The full code flow.
  console.log("");
  console.log(
    `2p. Code flow side by side: ${ROUNDS} interleaved rounds (ours, peer fresh login, peer session reused, ...), ` +
      `${CONCURRENCY} concurrent, ${window}`,
  );
  let freshFlows = 0;
  const freshTask = async () => {
    freshFlows += 1;
    if (!(await peerCodeFlow(pt, new CookieJar())).login) throw new Error("oidc-provider: a flow with no cookies did not sign in");
  };
  // One jar per virtual client: a worker takes a free jar (its session) and gives it back; a jar whose
  // flow failed is dropped, so the next flow signs in again. Logins are counted.
  const jars: CookieJar[] = [];
  let reusedFlows = 0;
  let reusedLogins = 0;
  const reusedTask = async () => {
    const jar = jars.pop() ?? new CookieJar();
    reusedFlows += 1;
    if ((await peerCodeFlow(pt, jar)).login) reusedLogins += 1;
    jars.push(jar);
  };
  const counted = (what: () => string, reset: () => void) => () => {
    const note = what();
    reset();
    return note;
  };
  const sides: Side[] = [
    {
      label: "2p-a. simulator code flow (= figure 2)",
      task: () => codeFlow(target),
      server: sim,
      signs: 2,
      verifies: 2,
      work: "verify the client assertion and the access token at UserInfo; sign the ID token and the access token",
    },
    {
      label: "2p-b. oidc-provider code flow, fresh login",
      task: freshTask,
      server: peer,
      signs: 2,
      verifies: 1,
      work: "verify the client assertion; sign the ID token and the UserInfo response (opaque access token)",
      roundNote: counted(
        () => `5 requests a flow, ${freshFlows} flows (warm-up incl.)`,
        () => {
          freshFlows = 0;
        },
      ),
    },
    {
      label: "2p-c. oidc-provider code flow, session reused",
      task: reusedTask,
      server: peer,
      signs: 2,
      verifies: 1,
      work: "as 2p-b",
      roundNote: counted(
        () => `logins ${reusedLogins} of ${reusedFlows} flows (warm-up incl.)`,
        () => {
          reusedLogins = 0;
          reusedFlows = 0;
        },
      ),
    },
  ];
  all.push(...(await interleaved("2p", sides, crypto)));
  await peer.stop();
  return all;
}

/**
 * Figure 10 (BENCH_ONLY=floor): the token endpoint's floor. Requests are signed before each round
 * (bench/_presigned.ts), so the load generator costs little and the server gets most of the machine: the
 * simulator's jwt-bearer grant, oidc-provider's client_credentials grant, and two servers that read
 * the same form and answer a fixed token (bench/_floor-process.ts): what HTTP alone costs, bare and
 * with Fastify. Then the budget of a token endpoint that would take half the peer's CPU per
 * request: what is left of it once the RS512 work (figure 1) and HTTP with Fastify are paid.
 */
async function floorFigure(crypto: CryptoRates, sim: Child<SimulatorInfo>, target: SimulatorTarget): Promise<Row[]> {
  const { peer, pt } = await startPeerChild();
  const floors = await Promise.all(
    (["node", "fastify"] as const).map(async (kind) => {
      const child = await startChild<{ url: string }>(fileURLToPath(new URL("./_floor-process.ts", import.meta.url)), {
        BENCH_FLOOR: kind,
      });
      children.push(child);
      const agent = pool(CONCURRENCY);
      agents.push(agent);
      return { child, agent };
    }),
  );
  // Enough for the fastest of these servers on a small machine; past that, the generator signs (noted per round).
  const perRound = Math.ceil((WARMUP_SECONDS + SECONDS) * 5000);
  const ours = new PresignedForms(() => usersV2TokenForm(target));
  const theirs = new PresignedForms(() => peerClientCredentialsForm(pt));
  // The floors never verify: one form, sent again and again. Each server answers once first, or the reason is printed.
  const fixed = await usersV2TokenForm(target);
  await peerClientCredentials(pt);
  for (const [i, { child, agent }] of floors.entries()) await postTokenForm(agent, child.info.url, "/token", fixed, `floor ${i + 1}`);
  const work = "verify 1 RS512 client assertion + record its jti, sign 1 RS512 access token";
  const presignedSide = (label: string, forms: PresignedForms, server: Child<unknown>, agent: Agent, url: string): Side => ({
    label,
    task: async () => void (await postTokenForm(agent, url, "/token", await forms.take(), label)),
    server,
    signs: 1,
    verifies: 1,
    work,
    beforeRound: () => forms.fill(perRound),
    roundNote: () => (forms.misses > 0 ? `${forms.misses} signed during the round` : ""),
  });
  const floorSide = (label: string, { child, agent }: (typeof floors)[number]): Side => ({
    label,
    task: async () => void (await postTokenForm(agent, child.info.url, "/token", fixed, label)),
    server: child,
    signs: 0,
    verifies: 0,
    work: "none: reads the form and answers a fixed token of the same size",
  });
  const sides: Side[] = [
    presignedSide("10a. simulator /token jwt-bearer, pre-signed", ours, sim, target.agent, target.url),
    presignedSide("10b. oidc-provider /token client_credentials, pre-signed", theirs, peer, pt.agent, pt.url),
    floorSide("10c. node:http, fixed answer", floors[0]!),
    floorSide("10d. Fastify + formbody (defaults), fixed answer", floors[1]!),
  ];
  console.log(
    `10. Token endpoint floor: ${ROUNDS} interleaved rounds, ${CONCURRENCY} concurrent, requests signed before each round ` +
      `(${perRound} per round), ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured each`,
  );
  const rows = await interleaved("10", sides, crypto);
  const cpu = (prefix: string) => median(rows.filter((r) => r.name.startsWith(prefix)).map((r) => r.cpuMsPerOp ?? Number.NaN));
  const [simulator, peerCpu, fastify] = [cpu("10a."), cpu("10b."), cpu("10d.")];
  const rsa = crypto.signMs + 1000 / crypto.verifiesPerSecond;
  const budget = peerCpu / 2 - rsa - fastify;
  console.log("");
  console.log("   Budget of a token endpoint at half the peer's CPU per request (medians above, ms per request):");
  console.log(`     half of 10b                                            ${fmtMs(peerCpu / 2)}`);
  console.log(`     less 1 RS512 sign + 1 verify on one thread (figure 1)  ${fmtMs(rsa)}`);
  console.log(`     less HTTP and Fastify answering a fixed token (10d)    ${fmtMs(fastify)}`);
  console.log(`     left for everything else                               ${fmtMs(budget)}`);
  console.log(`     what 10a spends on everything else now                 ${fmtMs(simulator - rsa - fastify)}`);
  console.log(
    "     (everything else: JOSE around the two RSA operations and the thread pool's hand-off, the simulator's own plugins " +
      "and parsers, the grant's checks, its stores, its event log)",
  );
  await peer.stop();
  await Promise.all(floors.map((f) => f.child.stop()));
  return rows;
}

/**
 * Figure 9: the simulator in one process beside `--workers` (BENCH_WORKERS, default one per core),
 * for the token endpoint and the code flow, in ROUNDS interleaved rounds. The workers' CPU is the
 * owner's and every worker's. Returns every round's row.
 */
async function workersFigures(crypto: CryptoRates, sim: Child<SimulatorInfo>, target: SimulatorTarget): Promise<Row[]> {
  const cores = os.cpus().length;
  const count = clamp(Math.round(Number(process.env.BENCH_WORKERS) || cores), 1, 64);
  const many = await startSimulatorChild(count);
  // Fail fast, with the reason, if either flow is broken on the workers.
  await codeFlow(many.target);
  await usersV2Token(many.target);
  const window = `${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured each`;
  const all: Row[] = [];
  console.log(`9. One process beside --workers ${count}: ${ROUNDS} interleaved rounds, ${CONCURRENCY} concurrent, ${window}`);
  const tokenWork = "verify 1 RS512 client assertion + record its jti, sign 1 RS512 access token";
  all.push(
    ...(await interleaved(
      "9t",
      [
        {
          label: "9t-a. /token jwt-bearer, 1 process",
          task: () => usersV2Token(target).then(() => undefined),
          server: sim,
          signs: 1,
          verifies: 1,
          work: tokenWork,
        },
        {
          label: `9t-b. /token jwt-bearer, --workers ${count}`,
          task: () => usersV2Token(many.target).then(() => undefined),
          server: many.sim,
          signs: 1,
          verifies: 1,
          work: tokenWork,
        },
      ],
      crypto,
      ["1 process", "workers"],
    )),
  );
  console.log("");
  const flowWork = "verify the client assertion and the access token at UserInfo; sign the ID token and the access token";
  all.push(
    ...(await interleaved(
      "9f",
      [
        { label: "9f-a. code flow, 1 process", task: () => codeFlow(target), server: sim, signs: 2, verifies: 2, work: flowWork },
        {
          label: `9f-b. code flow, --workers ${count}`,
          task: () => codeFlow(many.target),
          server: many.sim,
          signs: 2,
          verifies: 2,
          work: flowWork,
        },
      ],
      crypto,
      ["1 process", "workers"],
    )),
  );
  console.log(`   On ${cores} cores the load generator takes a share of them too: the workers can only use what it leaves.`);

  // The owner runs every worker's state operations: its CPU per request bounds all the workers together.
  console.log("");
  const control = (path: string, method = "GET") =>
    fetch(`${many.sim.info.url}/__control${path}`, { method, headers: { authorization: `Bearer ${many.sim.info.controlSecret}` } });
  await control("/reset", "POST");
  const before = procCpuMicros(many.sim.pid);
  process.stderr.write(`[bench] 9o owner's share: code flows on --workers ${count} (${WARMUP_SECONDS + SECONDS} s)...\n`);
  const ownerRow = await measure(`9o. code flow, --workers ${count}`, () => codeFlow(many.target), many.sim);
  const ownerMicros = procCpuMicros(many.sim.pid) - before;
  const log = (await (await control("/events")).json()) as { events: unknown[]; dropped: { events: number } };
  const requests = log.events.length + log.dropped.events;
  all.push(ownerRow);
  printTable([ownerRow]);
  const perRequest = ownerMicros / 1000 / requests;
  console.log(
    `9o. The owner's CPU (the --workers process itself, /proc): ${fmtMs(perRequest)} ms per request over ${requests} requests ` +
      `(${Math.round(requests / 3)} code flows, warm-up included) → ` +
      `one owner runs the state of at most ~${fmtRate(1000 / perRequest)} requests/s ` +
      "on one of these cores, however many workers answer.",
  );
  await many.target.agent.close();
  await many.sim.stop();
  return all;
}

/** Measure `sides` in turn, ROUNDS times; print every round, then medians, spreads, ratios and bounds. */
async function interleaved(figure: string, sides: Side[], crypto: CryptoRates, names: [string, string] = ["ours", "peer"]): Promise<Row[]> {
  const perSide: Row[][] = sides.map(() => []);
  const order: Row[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, side] of sides.entries()) {
      process.stderr.write(`[bench] ${figure} round ${round}/${ROUNDS}: ${side.label} (${WARMUP_SECONDS + SECONDS} s)...\n`);
      side.roundNote?.(); // reset the counters left by the probe or by the previous round
      await side.beforeRound?.();
      const row = await measure(`${side.label} [${round}]`, side.task, side.server);
      const note = side.roundNote?.();
      if (note) row.note = note;
      perSide[i]!.push(row);
      order.push(row);
    }
  }
  printTable(order);

  const cores = os.cpus().length;
  // A server that signs and verifies nothing has no crypto bound (figure 10's floors).
  const bound = (side: Side) =>
    side.signs + side.verifies === 0 ? Number.NaN : cores / (side.signs / crypto.signsPerSecond + side.verifies / crypto.verifiesPerSecond);
  const header = ["", "req/s median (min–max)", "srv CPU ms/op median (min–max)", "errors", "share of crypto bound"];
  const cells = sides.map((side, i) => {
    const rates = perSide[i]!.map((r) => r.rate);
    const cpu = perSide[i]!.map((r) => r.cpuMsPerOp ?? Number.NaN);
    const errors = perSide[i]!.reduce((n, r) => n + (r.errors ?? 0), 0);
    const share = median(rates) / bound(side);
    return [
      side.label,
      `${fmtRate(median(rates))} (${fmtRate(Math.min(...rates))}–${fmtRate(Math.max(...rates))})`,
      `${fmtMs(median(cpu))} (${fmtMs(Math.min(...cpu))}–${fmtMs(Math.max(...cpu))})`,
      String(errors),
      Number.isNaN(share) ? "n/a" : `${(share * 100).toFixed(0)}% of ${fmtRate(bound(side))}/s`,
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) => `   ${row.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join("  ")}`.trimEnd();
  console.log("");
  console.log(`   Over ${ROUNDS} rounds:`);
  console.log(line(header));
  for (const row of cells) console.log(line(row));

  // Ours is the first side; each peer variant against it, from the medians and round by round.
  const ours = perSide[0]!;
  for (const [j, side] of sides.entries()) {
    if (j === 0 || side.signs + side.verifies === 0) continue; // against a peer doing the same work only
    const peer = perSide[j]!;
    const rateRatios = ours.map((r, k) => r.rate / peer[k]!.rate);
    const cpuRatios = ours.map((r, k) => (peer[k]!.cpuMsPerOp ?? Number.NaN) / (r.cpuMsPerOp ?? Number.NaN));
    const medianRatio = median(ours.map((r) => r.rate)) / median(peer.map((r) => r.rate));
    const medianCpu = median(peer.map((r) => r.cpuMsPerOp ?? Number.NaN)) / median(ours.map((r) => r.cpuMsPerOp ?? Number.NaN));
    console.log(
      `   ${key(sides[0]!)} vs ${key(side)}: ${names[0]}/${names[1]} req/s ${medianRatio.toFixed(2)} (by round ${range(rateRatios)}); ` +
        `${names[1]}/${names[0]} srv CPU ms/op ${medianCpu.toFixed(2)} (by round ${range(cpuRatios)})`,
    );
  }
  const [signs, verifies] = [fmtRate(crypto.signsPerSecond), fmtRate(crypto.verifiesPerSecond)];
  console.log(
    `   Crypto bound: ${cores} cores / (signs / ${signs} per s + verifies / ${verifies} per s), from figure 1; ` +
      "the server's RS512 work per op:",
  );
  for (const side of sides) console.log(`     ${key(side)}: ${side.signs} sign + ${side.verifies} verify (${side.work})`);
  return order;
}

/** "4b" for "4b. simulator /token jwt-bearer". */
function key(side: Side): string {
  return side.label.split(".")[0]!;
}

function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function range(values: readonly number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return "n/a";
  return `${Math.min(...finite).toFixed(2)}–${Math.max(...finite).toFixed(2)}`;
}

async function measure(name: string, task: () => Promise<void>, server: Child<unknown>): Promise<Row> {
  let cpuStart = 0;
  let cpuEnd = 0;
  let genStart = 0;
  let genEnd = 0;
  let machineStart: MachineCpu | undefined;
  let machineEnd: MachineCpu | undefined;
  const ownCpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const result: LoadResult = await runLoad({
    concurrency: CONCURRENCY,
    warmupMs: WARMUP_SECONDS * 1000,
    durationMs: SECONDS * 1000,
    task,
    onWindowStart: async () => {
      machineStart = machineCpu();
      genStart = ownCpu();
      cpuStart = (await server.cpu()).micros;
    },
    onWindowEnd: async () => {
      machineEnd = machineCpu();
      genEnd = ownCpu();
      cpuEnd = (await server.cpu()).micros;
    },
  });
  const cpuMs = (cpuEnd - cpuStart) / 1000;
  if (result.errors > 0) {
    console.log(`${name}: ${result.errors} errors`);
    for (const e of result.errorSamples) console.log(`  ${e.count}× ${e.message}`);
  }
  return {
    name,
    rate: result.completed / result.seconds,
    p50: percentile(result.latencies, 50),
    p95: percentile(result.latencies, 95),
    p99: percentile(result.latencies, 99),
    errors: result.errors,
    cpuMsPerOp: result.completed > 0 ? cpuMs / result.completed : Number.NaN,
    cores: cpuMs / (result.seconds * 1000),
    genCores: (genEnd - genStart) / 1000 / (result.seconds * 1000),
    otherCores: otherCores(
      machineStart,
      machineEnd,
      cpuMs / (result.seconds * 1000) + (genEnd - genStart) / 1000 / (result.seconds * 1000),
    ),
  };
}

function printTable(rows: Row[]): void {
  const header = [
    "figure",
    "ops/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "errors",
    "srv CPU ms/op",
    "srv cores",
    "gen cores",
    "other cores",
    "note",
  ];
  const cells = rows.map((r) => [
    r.name,
    fmtRate(r.rate),
    fmtMs(r.p50),
    fmtMs(r.p95),
    fmtMs(r.p99),
    r.errors === undefined ? "" : String(r.errors),
    fmtMs(r.cpuMsPerOp),
    r.cores === undefined || !Number.isFinite(r.cores) ? "" : r.cores.toFixed(2),
    r.genCores === undefined || !Number.isFinite(r.genCores) ? "" : r.genCores.toFixed(2),
    r.otherCores === undefined || !Number.isFinite(r.otherCores) ? "" : r.otherCores.toFixed(2),
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 0 || i === c.length - 1 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
}

function fmtRate(n: number): string {
  if (!Number.isFinite(n)) return "n/a";
  return n >= 100 ? Math.round(n).toString() : n.toFixed(1);
}

function fmtMs(n: number | undefined): string {
  if (n === undefined) return "";
  if (!Number.isFinite(n)) return "n/a";
  return n >= 100 ? n.toFixed(0) : n.toFixed(n >= 10 ? 1 : 2);
}

interface MachineCpu {
  busy: number;
  total: number;
}

/** Aggregate CPU jiffies from /proc/stat (undefined off Linux). */
function machineCpu(): MachineCpu | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return undefined;
  }
}

/** Cores busy machine-wide during the window, minus what the server and the generator used. */
function otherCores(start: MachineCpu | undefined, end: MachineCpu | undefined, ours: number): number | undefined {
  if (!start || !end || end.total <= start.total) return undefined;
  const busyCores = ((end.busy - start.busy) / (end.total - start.total)) * os.cpus().length;
  return Math.max(0, busyCores - ours);
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

let exitCode = 0;
try {
  await main();
} catch (err) {
  exitCode = interrupted ? 130 : 1;
  if (!interrupted) process.stderr.write(`[bench] failed: ${(err as Error)?.stack ?? String(err)}\n`);
} finally {
  await cleanup();
}
process.exit(exitCode);
