/**
 * The scenario control channel: arm faults, set defects, read events. Guarded by a random
 * secret (Bearer); the service under test is never given it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SimulatorContext } from "../context.ts";
import type { ArmRequest } from "../start-simulator.ts";
import { DEFECTS, FAULTS, type DefectId } from "../faults.ts";
import type { AgeGrantRequest } from "../age-grant.ts";

export interface ControlHooks {
  authorize(header: string | undefined): boolean;
  arm(req: ArmRequest): Promise<void>;
  setDefects(defects: DefectId[]): Promise<void>;
  reset(): Promise<void>;
  age(req: AgeGrantRequest): Promise<boolean>;
}

export function registerControl(app: FastifyInstance, ctx: SimulatorContext, hooks: ControlHooks): void {
  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!hooks.authorize(req.headers.authorization)) {
      return reply.code(401).header("www-authenticate", 'Bearer realm="simulator-control"').send({ error: "unauthorized" });
    }
  };
  const bad = (reply: FastifyReply, err: unknown) =>
    reply.code(400).send({ error: "invalid_request", error_description: (err as Error).message });

  app.register(
    async (scope) => {
      scope.addHook("onRequest", guard);
      scope.post("/arm", async (req, reply) => {
        const body = (req.body ?? {}) as ArmRequest;
        try {
          await hooks.arm({ ...body, times: body.times === null ? Infinity : body.times });
        } catch (err) {
          return bad(reply, err);
        }
        return reply.code(204).send();
      });
      scope.put("/defects", async (req, reply) => {
        const list = (req.body as { defects?: unknown } | undefined)?.defects;
        if (!Array.isArray(list)) return bad(reply, new TypeError("defects must be an array"));
        try {
          await hooks.setDefects(list as DefectId[]);
        } catch (err) {
          return bad(reply, err);
        }
        return reply.code(204).send();
      });
      // The clock hook for one code or refresh token (lifetime checks): 204, or 404 when unknown.
      scope.post("/age", async (req, reply) => {
        let found: boolean;
        try {
          found = await hooks.age((req.body ?? {}) as AgeGrantRequest);
        } catch (err) {
          return bad(reply, err);
        }
        if (!found)
          return reply.code(404).send({ error: "not_found", error_description: "the simulator holds no such code or refresh token" });
        return reply.code(204).send();
      });
      scope.post("/reset", async (_req, reply) => {
        await hooks.reset();
        return reply.code(204).send();
      });
      scope.get("/events", async (req, reply) => {
        const since = Number((req.query as { since?: string }).since ?? 0);
        // Every kept event is bounded (bound-for-record.ts), so this always serialises; `dropped`
        // says what the limits made the simulator forget, `limits` what they are.
        return reply.send(await ctx.ops.events(since));
      });
      scope.get("/catalogue", async (_req, reply) => {
        return reply.send({ faults: FAULTS, defects: DEFECTS, personas: ctx.personas.map((p) => ({ id: p.id, label: p.label })) });
      });
    },
    { prefix: "/__control" },
  );
}
