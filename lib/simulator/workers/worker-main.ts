/**
 * A worker of `npm run simulator -- --workers N` (forked by start-simulator-workers.ts): it takes
 * its options, keys and defects from the process that owns the state, serves the simulator on the
 * shared port, says so, and stops when that process says so or goes away.
 */
import { sharedState, type OwnerChannel } from "./shared-state.ts";
import { startSimulator, type Simulator } from "../start-simulator.ts";
import type { FromOwner, ToOwner } from "./_messages.ts";

const channel = process as unknown as OwnerChannel & { send(m: ToOwner): unknown };
// Ctrl+C reaches every process of the terminal: the owner stops the workers, each in turn.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => undefined);
// Without its owner a worker has no state: it ends.
process.on("disconnect", () => process.exit(0));
let sim: Simulator | undefined;
process.on("message", (m: FromOwner) => {
  if (m.t !== "stop") return;
  if (!sim) process.exit(0);
  void sim.stop().then(() => process.exit(0));
});

try {
  const { shared, options } = await sharedState(channel);
  sim = await startSimulator({ ...options, defects: shared.defects, shared });
  channel.send({ t: "started", version: shared.version });
} catch (err) {
  process.send!({ t: "failed", message: err instanceof Error ? err.message : String(err) } satisfies ToOwner, undefined, undefined, () =>
    process.exit(1),
  );
}
