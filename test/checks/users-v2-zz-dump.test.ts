import { it } from "vitest";
import { USERS_V2_CHECKS } from "../../lib/checks/users-v2-checks.ts";
import { runEnvironmentCheck } from "../../lib/checks/environment-check.ts";
import { PERSONAS } from "../../lib/simulator/personas.ts";
import { startTestEnvironment } from "../../test/checks/_env.ts";
import type { DefectId } from "../../lib/simulator/faults.ts";
it("dump", async () => {
  const t = await startTestEnvironment();
  const defects = (process.env.DEFECTS ?? "").split(",").filter(Boolean) as DefectId[];
  await t.sim.setDefects(defects);
  for (const c of USERS_V2_CHECKS) {
    const env = { ...t.fresh(), testNhsNumber: PERSONAS[0]!.nhsNumber!, testEmail: PERSONAS[0]!.email, testNhsNumber2: PERSONAS[1]!.nhsNumber!, testEmail2: PERSONAS[1]!.email };
    const f = await runEnvironmentCheck(c, env);
    console.log(`\n## ${c.ids.join(" ")}: ${c.title}\n` + f.map((x) => `  ${x.requirement} ${x.status}: ${x.message}`).join("\n"));
    await env.http.close();
  }
  await t.stop();
}, 60000);
