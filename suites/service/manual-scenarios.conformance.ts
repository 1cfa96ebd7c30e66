/**
 * The scenarios NHS login asks a partner to walk through by hand (catalogue section 3), listed as
 * skipped "manual" entries with instructions, so the report holds the whole checklist.
 */
import { describe } from "vitest";
import { manual } from "../_support/check.ts";
import { MANUAL_SCENARIOS } from "../../lib/requirements/manual-scenarios.ts";

describe("Manual scenarios (docs: testing scenarios)", () => {
  for (const s of MANUAL_SCENARIOS) manual(s);
});
