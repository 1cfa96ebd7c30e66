/**
 * Shared by the code-flow rule tests: the overall status of findings, or of one requirement's,
 * and the redirect URI the crafted answers go to.
 */
import { overallStatus } from "../../../lib/checks/grade.ts";
import type { Finding } from "../../../lib/requirements/index.ts";

export const statusOf = (f: Finding[]) => overallStatus(f);
export const statusFor = (f: Finding[], id: string) => overallStatus(f.filter((x) => x.requirement === id));
export const REDIRECT = "https://svc.example/callback";
