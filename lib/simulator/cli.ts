#!/usr/bin/env node
/**
 * `npm run simulator`: run the NHS login simulator on its own, for people and for services
 * under test. Prints the issuer, the personas, the registered clients and the control secret.
 */
import { writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { loadConfig } from "../config/index.ts";
import { HarnessErrorBase } from "../errors/index.ts";
import { DEFECT_IDS, FAULT_IDS, type DefectId, type FaultId } from "./faults.ts";
import { simulatorOptionsFromConfig } from "./from-config.ts";
import { startSimulator, type Simulator } from "./start-simulator.ts";
import { startSimulatorWorkers } from "./workers/start-simulator-workers.ts";
import { simulatorTls } from "./tls/simulator-tls.ts";
import { openJournal, type Journal } from "../journal/open-journal.ts";
import type { SimulatorEvent } from "./state.ts";

const program = new Command("nhslogin-simulator")
  .description("Run the embedded NHS login simulator on 127.0.0.1 (configuration from .env / environment)")
  .option("-p, --port <port>", "port to listen on (overrides SIMULATOR_PORT; 0 = any free port)")
  .option("--persona <id>", "persona signed in by default (overrides SIMULATOR_PERSONA)")
  .option("--interactive", "show a persona picker page on /authorize instead of signing in at once", false)
  .addOption(new Option("--defect <id...>", "environment defects to switch on").choices([...DEFECT_IDS]))
  .addOption(new Option("--fault <id>", "fault armed until reset (every sign-in, or 1 in n with --every)").choices([...FAULT_IDS]))
  .option("--every <n>", "with --fault: only every n-th sign-in (or consumer call) takes it, e.g. 20 for 5 %")
  .option(
    "--delay-ms <ms>",
    "with a slow-answer --fault (slow-authorize, slow-token, slow-userinfo, uev2-answer-slow, pa-answer-slow): how long the answer is held",
  )
  .option("--workers <n>", "answer on n processes sharing one state, for load tests on a machine with more cores (1 to 64)")
  .option("--journal <file>", "append every request the simulator serves to this file (JSON lines) for `conformance --journal`")
  .option(
    "--write-harness-key <file>",
    "write the harness client's private key (PEM) to this file so other tools can use the harness client",
  )
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{
    port?: string;
    persona?: string;
    interactive: boolean;
    defect?: DefectId[];
    fault?: FaultId;
    every?: string;
    delayMs?: string;
    writeHarnessKey?: string;
    journal?: string;
    workers?: string;
  }>();
  const workers = opts.workers === undefined ? undefined : Number(opts.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64))
    throw new TypeError(`--workers must be a whole number from 1 to 64, not "${opts.workers}"`);
  if ((opts.every !== undefined || opts.delayMs !== undefined) && !opts.fault)
    throw new TypeError("--every and --delay-ms qualify --fault; name the fault with --fault <id>");
  const env = { ...process.env };
  if (opts.port !== undefined) env.SIMULATOR_PORT = opts.port;
  if (opts.persona !== undefined) env.SIMULATOR_PERSONA = opts.persona;
  const config = loadConfig({ env });
  const tls = await simulatorTls(config.simulator);
  const { options, harness, service } = await simulatorOptionsFromConfig(config, {
    interactive: opts.interactive,
    ...(opts.defect ? { defects: opts.defect } : {}),
    ...(tls ? { tls } : {}),
  });
  // The journal's header needs the issuer, known once the simulator listens: events wait until then.
  let journal: Journal | undefined;
  const pending: SimulatorEvent[] = [];
  const withJournal = {
    ...options,
    ...(opts.journal ? { onEvent: (e: SimulatorEvent) => (journal ? journal.write(e) : pending.push(e)) } : {}),
  };
  const sim =
    workers === undefined
      ? inProcess(await startSimulator(withJournal))
      : await startSimulatorWorkers(withJournal, {
          workers,
          // Nothing left to answer: better ended, with why, than a simulator refusing every connection.
          onAllStopped: (reason) => {
            process.stderr.write(`simulator: ${reason}; stopping\n`);
            process.exit(1);
          },
        });
  // Armed (and its numbers judged) before anything is written: a refused start leaves no journal behind.
  if (opts.fault) {
    try {
      sim.arm({
        faults: [opts.fault],
        times: Infinity,
        ...(opts.every !== undefined ? { every: Number(opts.every) } : {}),
        ...(opts.delayMs !== undefined ? { delayMs: Number(opts.delayMs) } : {}),
      });
    } catch (err) {
      await sim.stop();
      throw new TypeError(`--every / --delay-ms: ${(err as Error).message}`);
    }
  }
  if (opts.journal) {
    journal = openJournal(opts.journal, { issuer: sim.issuer, tokenEndpoint: sim.endpoints.token, usersScope: sim.usersScope });
    for (const e of pending) journal.write(e);
    process.once("exit", () => journal?.close());
  }
  // Ready to stop before the banner says so.
  const stop = async () => {
    await sim.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (opts.writeHarnessKey) {
    writeFileSync(opts.writeHarnessKey, harness.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  }

  const lines = [
    "NHS login simulator",
    `  issuer            ${sim.issuer}`,
    `  discovery         ${sim.endpoints.discovery}`,
    `  Users.retrieve    ${sim.usersScope}`,
    `  control secret    ${sim.controlSecret}  (Authorization: Bearer <secret> on ${sim.url}/__control/*)`,
    ...(tls ? [`  https             ${tls.caFile ? `trust the CA in ${tls.caFile}` : "with SIMULATOR_TLS_CERT"}`] : []),
    `  mode              ${opts.interactive ? "interactive persona picker" : `signs in ${options.defaultPersona} at once`}`,
    ...(opts.defect?.length ? [`  defects           ${opts.defect.join(", ")}`] : []),
    ...(opts.fault
      ? [
          `  fault             ${opts.fault}, ${opts.every ? `1 in ${opts.every} sign-ins or calls` : "every sign-in"}` +
            (opts.delayMs ? `, held ${opts.delayMs} ms` : ""),
        ]
      : []),
    ...(workers !== undefined ? [`  workers           ${workers} processes, one shared state (this process)`] : []),
    ...(opts.journal ? [`  journal           ${opts.journal} (judge it: nhslogin-conformance --suite service --journal <file>)`] : []),
    "",
    "Personas",
    ...sim.personas.map((p) => `  ${p.id.padEnd(4)} ${p.proofing}  ${p.email.padEnd(28)} ${p.nhsNumber ?? "(no NHS number)"}  ${p.label}`),
    "",
    "Registered clients",
    ...[...sim.clients.values()].map(
      (c) =>
        `  ${c.clientId}  (${c.name})\n      redirect URIs: ${c.redirectUris.join(", ")}\n` +
        `      scopes: ${[...c.scopes].join(" ")}\n      vtr: ${JSON.stringify(c.vtr)}`,
    ),
    ...(service ? [] : ["  (no service registered: set SERVICE_CLIENT_ID, SERVICE_REDIRECT_URIS and SERVICE_PUBLIC_KEY_FILE)"]),
    ...(harness.ephemeralKey && !opts.writeHarnessKey
      ? ["  the harness client's key was generated for this run; pass --write-harness-key <file> to use it elsewhere"]
      : []),
    "",
    "Press Ctrl+C to stop.",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** The in-process simulator, seen as the banner and the journal see the workers. */
function inProcess(sim: Simulator) {
  const { issuer, url, usersScope, controlSecret, arm, stop, context } = sim;
  return {
    issuer,
    url,
    usersScope,
    controlSecret,
    arm,
    stop,
    endpoints: context.endpoints,
    personas: context.personas,
    clients: context.clients,
  };
}

main().catch((err: unknown) => {
  if (err instanceof Error && ((err as NodeJS.ErrnoException).code === "EADDRINUSE" || /EADDRINUSE/.test(err.message))) {
    process.stderr.write(`simulator: the port is taken by another process (SIMULATOR_PORT or --port): ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof HarnessErrorBase || err instanceof TypeError) {
    process.stderr.write(`simulator: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
});
