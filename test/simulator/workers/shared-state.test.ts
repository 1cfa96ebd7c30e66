/**
 * lib/simulator/workers/shared-state.ts against a channel of this test's own, standing in for the
 * owner: batching, answers, flush, a change of defects that comes before the simulator can apply
 * it, and a call that cannot be sent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { simulatorKeys } from "../../../lib/simulator/keys.ts";
import { sharedState, type OwnerChannel } from "../../../lib/simulator/workers/shared-state.ts";
import { keyPems, type FromOwner, type KeyPems, type ToOwner } from "../../../lib/simulator/workers/_messages.ts";

let pems: KeyPems;
let otherPems: KeyPems;
beforeAll(async () => {
  pems = keyPems(await simulatorKeys(undefined, new Set()));
  otherPems = keyPems(await simulatorKeys(undefined, new Set(["weak-signing-key"])));
});

/** A channel that clones what it is sent (as IPC does, refusing what cannot be cloned) and keeps it. */
function fakeOwner() {
  const sent: ToOwner[] = [];
  let listener: ((m: FromOwner) => void) | undefined;
  const channel: OwnerChannel = {
    send: (m) => sent.push(structuredClone(m)),
    on: (_event, l) => {
      listener = l;
    },
  };
  return { channel, sent, tell: (m: FromOwner) => listener!(m) };
}

const turn = () => new Promise((r) => setImmediate(r));

async function connected() {
  const owner = fakeOwner();
  const pending = sharedState(owner.channel);
  expect(owner.sent).toEqual([{ t: "ready" }]);
  owner.tell({ t: "init", version: 3, keys: pems, defects: [], options: { port: 1234 }, worker: 7 });
  const { shared, options } = await pending;
  owner.sent.length = 0;
  return { owner, shared, options };
}

describe("sharedState: a worker's view of the owner's state", () => {
  it("starts from the owner's init: its options, keys, defects, version and worker number", async () => {
    const { shared, options } = await connected();
    expect(options).toEqual({ port: 1234 });
    expect([shared.worker, shared.version, shared.defects]).toEqual([7, 3, []]);
    expect(shared.keys.signing.publicJwk.kid).toBe(shared.keys.signing.kid);
  });

  it("sends the operations of one turn in one message, and matches each answer to its call", async () => {
    const { owner, shared } = await connected();
    const a = shared.ops.get("metadata", "a");
    const b = shared.ops.claim("assertionJtis", "rp j1", 100);
    const c = shared.ops.age({ code: "x", seconds: -1 });
    await turn();
    expect(owner.sent).toEqual([
      {
        t: "ops",
        calls: [
          [0, "get", ["metadata", "a"]],
          [1, "claim", ["assertionJtis", "rp j1", 100]],
          [2, "age", [{ code: "x", seconds: -1 }]],
        ],
      },
    ]);
    // Answered out of order and in two messages: each still reaches its own call.
    owner.tell({ t: "answers", items: [{ id: 2, error: { name: "TypeError", message: "seconds must be a positive number" } }] });
    owner.tell({
      t: "answers",
      items: [
        { id: 1, value: true },
        { id: 0, value: "stored" },
      ],
    });
    expect(await a).toBe("stored");
    expect(await b).toBe(true);
    await expect(c).rejects.toThrow(TypeError);
  });

  it("flush waits for every operation sent and not answered, but not for a change of defects", async () => {
    const { owner, shared } = await connected();
    const change = shared.setDefects(["weak-signing-key"]);
    void shared.ops.record({ type: "token", at: 1, detail: {} });
    let flushed = false;
    const flushing = shared.flush().then(() => {
      flushed = true;
    });
    await turn();
    await turn();
    expect(flushed).toBe(false);
    owner.tell({ t: "answers", items: [{ id: 1 }] });
    await flushing;
    expect(flushed).toBe(true);
    owner.tell({ t: "answers", items: [{ id: 0 }] });
    await change;
  });

  it("keeps a change of defects that comes before the simulator can apply it, confirms it, and applies it when asked", async () => {
    const { owner, shared } = await connected();
    owner.tell({ t: "defects", id: 5, version: 4, keys: otherPems, defects: ["weak-signing-key"] });
    for (let i = 0; i < 20 && !owner.sent.some((m) => m.t === "defects-set"); i++) await turn();
    expect(owner.sent).toContainEqual({ t: "defects-set", id: 5 });
    const applied: { defects: string[]; kid: string }[] = [];
    shared.onDefects((defects, keys) => applied.push({ defects, kid: keys.signing.kid }));
    expect(applied).toHaveLength(1);
    expect(applied[0]!.defects).toEqual(["weak-signing-key"]);
    expect(applied[0]!.kid).not.toBe(shared.keys.signing.kid);
    // Later changes are applied as they come.
    owner.tell({ t: "defects", id: 6, version: 5, keys: pems, defects: [] });
    for (let i = 0; i < 20 && applied.length < 2; i++) await turn();
    expect(applied[1]).toEqual({ defects: [], kid: shared.keys.signing.kid });
  });

  it("fails only the call that cannot be sent; the others of its turn go", async () => {
    const { owner, shared } = await connected();
    const bad = shared.ops.set("metadata", "k", (() => "not data") as unknown as string);
    const good = shared.ops.get("metadata", "k");
    await turn();
    await expect(bad).rejects.toThrow(/could not be cloned/);
    expect(owner.sent).toEqual([{ t: "ops", calls: [[1, "get", ["metadata", "k"]]] }]);
    owner.tell({ t: "answers", items: [{ id: 1, value: "v" }] });
    expect(await good).toBe("v");
  });
});
