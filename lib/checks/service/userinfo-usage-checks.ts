/**
 * The UserInfo checks as data (FED-UI-01, FED-UI-05); skipped when SERVICE_USES_USERINFO=false.
 */
import type { ServiceCheck } from "./service-check.ts";
import { faultSignIn, signIns } from "./scenarios.ts";
import { userinfoAfterTokenFindings, userinfoRequestFindings, userinfoSubFindings } from "./userinfo-usage.ts";

export const USERINFO_USAGE_CHECKS: readonly ServiceCheck[] = [
  {
    key: "userinfo-bearer-header",
    ids: ["FED-UI-01"],
    title: "the access token goes to UserInfo in the Authorization header, never the query or body",
    area: "UserInfo",
    needs: ["userinfo"],
    run: async (ctx) => userinfoRequestFindings((await signIns(ctx)).events),
  },
  {
    key: "userinfo-after-token",
    ids: ["FED-IDT-19"],
    title: "after each code exchange the service fetches the claims beyond the ID token from UserInfo",
    area: "UserInfo",
    needs: ["userinfo"],
    run: async (ctx) => userinfoAfterTokenFindings((await signIns(ctx)).events),
  },
  {
    key: "userinfo-sub",
    ids: ["FED-UI-05"],
    title: "UserInfo about another sub does not sign the user in",
    area: "UserInfo",
    needs: ["userinfo"],
    run: async (ctx) => userinfoSubFindings(await faultSignIn(ctx, "userinfo-other-sub")),
  },
];
