/**
 * Child process: the simulator on `BENCH_WORKERS` processes (`npm run simulator -- --workers N`),
 * with the bench client registered as in _simulator-process.ts. Its `cpu` answer is the CPU time
 * of this process (the state's owner) and of every worker, read from /proc (Linux).
 *
 * Env: BENCH_CLIENT_ID, BENCH_REDIRECT_URI, BENCH_CLIENT_PUBLIC_KEY (SPKI PEM), BENCH_WORKERS.
 */
import { USERS_RETRIEVE_PLACEHOLDER } from "../lib/simulator/clients.ts";
import { startSimulatorWorkers } from "../lib/simulator/workers/start-simulator-workers.ts";
import { procCpuMicros, serveParent } from "./_child.ts";

const clientId = process.env.BENCH_CLIENT_ID ?? "bench-client";
const redirectUri = process.env.BENCH_REDIRECT_URI ?? "https://bench.example/cb";
const publicKey = process.env.BENCH_CLIENT_PUBLIC_KEY;
if (!publicKey) throw new Error("BENCH_CLIENT_PUBLIC_KEY is required");
const workers = Number(process.env.BENCH_WORKERS ?? 2);

const sim = await startSimulatorWorkers(
  {
    port: 0,
    clients: [
      {
        clientId,
        redirectUris: [redirectUri],
        publicKey,
        scopes: ["profile", "email"],
        usersV2Scopes: [USERS_RETRIEVE_PLACEHOLDER, "profile", "email"],
      },
    ],
  },
  { workers },
);

serveParent(
  {
    issuer: sim.issuer,
    url: sim.url,
    usersScope: sim.usersScope,
    tokenEndpoint: sim.endpoints.token,
    controlSecret: sim.controlSecret,
  },
  () => sim.stop(),
  // The owner's own, and every worker's (user and system together, counted as user).
  () => {
    const own = process.cpuUsage();
    return { user: own.user + sim.pids.reduce((n, pid) => n + procCpuMicros(pid), 0), system: own.system };
  },
);
