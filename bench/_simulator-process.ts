/**
 * Child process: the embedded NHS login simulator on 127.0.0.1 (port 0), with the bench client
 * registered for the code flow and for Users V2. Prints one JSON line, then serves until its stdin
 * closes (see _child.ts).
 *
 * Env: BENCH_CLIENT_ID, BENCH_REDIRECT_URI, BENCH_CLIENT_PUBLIC_KEY (SPKI PEM).
 */
import { startSimulator } from "../lib/simulator/start-simulator.ts";
import { serveParent } from "./_child.ts";

const clientId = process.env.BENCH_CLIENT_ID ?? "bench-client";
const redirectUri = process.env.BENCH_REDIRECT_URI ?? "https://bench.example/cb";
const publicKey = process.env.BENCH_CLIENT_PUBLIC_KEY;
if (!publicKey) throw new Error("BENCH_CLIENT_PUBLIC_KEY is required");

const sim = await startSimulator({ port: 0 });
// The Users.retrieve scope is known only once the simulator listens: register the client now.
sim.addClient({
  clientId,
  redirectUris: [redirectUri],
  publicKey,
  scopes: ["profile", "email"],
  usersV2Scopes: [sim.usersScope, "profile", "email"],
});

serveParent(
  {
    issuer: sim.issuer,
    url: sim.url,
    usersScope: sim.usersScope,
    tokenEndpoint: sim.context.endpoints.token,
    controlSecret: sim.controlSecret,
  },
  () => sim.stop(),
);
