/**
 * Shared body of the variant test files (split so that vitest runs them in parallel): the
 * reference service, or one unsafe variant, against every service check.
 */
import { describe, expect, it } from "vitest";
import type { UnsafeSwitch } from "../../../examples/reference-service/unsafe.ts";
import {
  JOURNAL_CHECKS,
  PROVISION_ACCOUNT_CONSUMER_CHECKS,
  SERVICE_CHECKS,
  USERS_V2_CONSUMER_CHECKS,
} from "../../../lib/checks/service/index.ts";
import { runChecks, startServiceUnderTest } from "./_service.ts";
import { expectBroken } from "../../_support/expect-broken.ts";
import { BREAKERS } from "../../breakers.ts";
import { BASELINE, CONFIGURATION_VARIANTS, TARGETED_VARIANTS, VARIANT_BREAKS } from "./_variants.ts";

/** The status each check must have with `variant` (undefined = the reference service). */
export function expectedStatuses(variant?: UnsafeSwitch): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of SERVICE_CHECKS) out[c.key] = (variant ? VARIANT_BREAKS[variant][c.key] : undefined) ?? BASELINE[c.key] ?? "passed";
  return out;
}

const CONSUMER_KEYS = new Set([...USERS_V2_CONSUMER_CHECKS, ...PROVISION_ACCOUNT_CONSUMER_CHECKS].map((c) => c.key));
const JOURNAL_KEYS = new Set(JOURNAL_CHECKS.map((c) => c.key));
/** The checks that drive the service (the journal checks judge what they recorded, afterwards). */
const DRIVEN = SERVICE_CHECKS.filter((c) => !JOURNAL_KEYS.has(c.key));

export function variantSuite(variants: readonly (UnsafeSwitch | undefined)[]): void {
  describe("the reference service and its unsafe variants against every service check", () => {
    for (const variant of variants) {
      it(variant
        ? `REFERENCE_SERVICE_UNSAFE=${variant} fails exactly its matching checks`
        : "the reference service passes every check (loopback http warnings only)", async () => {
        const s = await startServiceUnderTest(variant ? { unsafe: variant } : {});
        try {
          const targeted = variant !== undefined && TARGETED_VARIANTS.has(variant);
          // A sign-in variant leaves the Users V2 consumer code as it is: its checks run on the reference service and its own variants.
          const checks = targeted
            ? DRIVEN.filter((c) => VARIANT_BREAKS[variant][c.key])
            : variant
              ? DRIVEN.filter((c) => !CONSUMER_KEYS.has(c.key))
              : DRIVEN;
          const results = await runChecks(s.ctx, checks);
          const actual = Object.fromEntries([...results].map(([k, v]) => [k, v.status]));
          const detail = [...results]
            .filter(([k, v]) => v.status !== expectedStatuses(variant)[k])
            .map(([k, v]) => `${k}: ${v.status}\n  ${v.messages.replace(/\n/g, "\n  ")}`)
            .join("\n");
          if (variant && (CONFIGURATION_VARIANTS.has(variant) || targeted)) {
            for (const [key, status] of Object.entries(VARIANT_BREAKS[variant])) expect(actual[key], `${key}\n${detail}`).toBe(status);
          } else {
            const expected = expectedStatuses(variant);
            expect(actual, detail).toEqual(Object.fromEntries(checks.map((c) => [c.key, expected[c.key]])));
          }
          // A check speaks only of the requirements it declares.
          for (const c of SERVICE_CHECKS.filter((x) => results.has(x.key))) {
            const undeclared = results
              .get(c.key)!
              .findings.filter((f) => !c.ids.includes(f.requirement))
              .map((f) => f.requirement);
            expect(undeclared, `${c.key} reports undeclared requirements`).toEqual([]);
          }
          // The same rules on the traffic this run recorded, as --journal would judge it: the reference
          // passes every journal check, a variant breaks the journal checks its breakers name.
          const mine = BREAKERS.filter((b) => b.kind === "service" && "variant" in b.breaker && b.breaker.variant === variant);
          const journalChecks = variant ? JOURNAL_CHECKS.filter((c) => mine.some((b) => b.check === c.key)) : JOURNAL_CHECKS;
          if (journalChecks.length > 0) {
            const recorded = await runChecks(s.journalContext(), journalChecks);
            for (const [k, v] of recorded) results.set(k, v);
            if (!variant)
              expect(
                Object.fromEntries([...recorded].map(([k, v]) => [k, v.status])),
                "the journal of the reference service's run",
              ).toEqual(Object.fromEntries(journalChecks.map((c) => [c.key, "passed"])));
          }
          // The breakers of test/breakers.ts for this variant: each named ID fails or warns, for the stated reason.
          for (const entry of mine) {
            const check = SERVICE_CHECKS.find((c) => c.key === entry.check);
            expect(check, `no service check ${entry.check}`).toBeDefined();
            expect(results.get(entry.check), `${entry.check} did not run for ${variant}`).toBeDefined();
            expectBroken(entry, check!, results.get(entry.check)!.findings);
          }
        } finally {
          await s.stop();
        }
      }, 120_000);
    }
  });
}
