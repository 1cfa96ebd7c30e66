/**
 * Variables in the harness's namespaces (`NHSLOGIN_`, `SERVICE_`, `SIMULATOR_`, `HTTP_`) that it
 * does not read, each with the closest name it does read. A misspelt name is otherwise ignored in
 * silence and its value lost (e.g. `NHSLOGIN_CLIENTID` for `NHSLOGIN_CLIENT_ID`).
 *
 * @example
 * ```ts
 * unknownVariables({ NHSLOGIN_CLIENTID: "x" }, new Set(["NHSLOGIN_CLIENT_ID"]))
 * // [{ name: "NHSLOGIN_CLIENTID", closest: "NHSLOGIN_CLIENT_ID" }]
 * ```
 */
import { distance } from "fastest-levenshtein";

export const HARNESS_PREFIXES = ["NHSLOGIN_", "SERVICE_", "SIMULATOR_", "HTTP_"] as const;

/** Names in those namespaces that belong to other tools (proxies), never reported. */
const OTHER_TOOLS = new Set(["HTTP_PROXY"]);

/** How many single-character edits still count as a misspelling: 3, or a quarter of the name. */
const maxEdits = (name: string) => Math.max(3, Math.floor(name.length / 4));

export interface UnknownVariable {
  name: string;
  /** The known variable this is most likely a misspelling of, when one is close. */
  closest?: string;
}

export function unknownVariables(env: Readonly<Record<string, string | undefined>>, known: ReadonlySet<string>): UnknownVariable[] {
  const out: UnknownVariable[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!HARNESS_PREFIXES.some((p) => name.startsWith(p)) || known.has(name) || OTHER_TOOLS.has(name)) continue;
    let closest: string | undefined;
    let best = maxEdits(name) + 1;
    for (const k of known) {
      // A name cut short or run on (NHSLOGIN_PRIVATE_KEY for NHSLOGIN_PRIVATE_KEY_FILE) is as close as a typo.
      const d = k.startsWith(name) || name.startsWith(k) ? Math.min(distance(name, k), 1) : distance(name, k);
      if (d < best) [closest, best] = [k, d];
    }
    out.push(closest ? { name, closest } : { name });
  }
  return out;
}
