/**
 * Load a folder of captured artefacts into an {@link ArtefactSet}: `id_token.jwt`,
 * `access_token.jwt`, `userinfo.json`, every `users-v2-*.json`, `jwks.json`, `expected.json` and
 * `public_key.pem` (the key the partner gives NHS login),
 * each parsed, missing, or unreadable with the reason (oversized, not UTF-8, not JSON, not a JWT,
 * wrong shape). Never throws on bad input. Without a folder every artefact is missing with the
 * reason `unavailable` (default "ARTEFACTS_DIR is not set").
 *
 * The JWKS (`signingKeys()`) is resolved on first use and then reused; without `jwks.json` it is
 * fetched from the issuer of `expected.json` with `http` (or a client made from `httpOptions` and
 * closed afterwards).
 *
 * @example
 * ```ts
 * const set = await loadArtefacts(config.artefacts.dir, { httpOptions: { timeoutMs: config.http.timeoutMs } })
 * for (const c of ARTEFACT_CHECKS) console.log(c.ids, await runArtefactCheck(c, set))
 * ```
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createHttpClient, type Exchange, type HttpClient, type HttpClientOptions } from "../http/index.ts";
import { MAX_ARTEFACT_BYTES, readCappedFile } from "./read-capped-file.ts";
import { parseCapturedToken } from "./parse-captured-token.ts";
import { parseCapturedAnswer } from "./parse-captured-answer.ts";
import { parseUsersV2Capture } from "./parse-users-v2-capture.ts";
import { parseJwks } from "./parse-jwks.ts";
import { parseExpectations } from "./parse-expectations.ts";
import { resolveSigningKeys } from "./resolve-signing-keys.ts";
import type { Artefact, ArtefactSet, SigningKeys, UsersV2Capture } from "./types.ts";

export const ARTEFACT_FILES = Object.freeze({
  idToken: "id_token.jwt",
  accessToken: "access_token.jwt",
  userinfo: "userinfo.json",
  jwks: "jwks.json",
  expected: "expected.json",
  publicKey: "public_key.pem",
});
/** `users-v2-<anything>.json` */
export const USERS_V2_FILE = /^users-v2-[^/\\]+\.json$/;
/** At most this many `users-v2-*.json` files are read; more are reported, not read. */
export const MAX_USERS_V2_FILES = 50;

export interface LoadArtefactsOptions {
  /** Largest file read, in bytes (default 1 MiB). */
  maxFileBytes?: number;
  /** Client to fetch the issuer's JWKS with (the caller closes it). */
  http?: HttpClient;
  /** Options of the client made when `http` is not given. */
  httpOptions?: HttpClientOptions;
  /** Why there is no folder, when `dir` is undefined. */
  unavailable?: string;
}

const isOk = (a: Artefact<unknown>): boolean => a.state === "ok";

export async function loadArtefacts(dir: string | undefined, options: LoadArtefactsOptions = {}): Promise<ArtefactSet> {
  const max = options.maxFileBytes ?? MAX_ARTEFACT_BYTES;
  if (dir === undefined) return emptySet(options.unavailable ?? "ARTEFACTS_DIR is not set");
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    return emptySet(`the artefacts folder ${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }

  async function load<T>(file: string, parse: (text: string, file: string) => Artefact<T>): Promise<Artefact<T>> {
    const r = await readCappedFile(join(dir!, file), max);
    if (!r.ok) return r.missing ? { state: "missing", file, reason: r.reason } : { state: "unreadable", file, reason: r.reason };
    return parse(r.text, file);
  }

  const usersV2Names = names.filter((n) => USERS_V2_FILE.test(n));
  const usersV2: Artefact<UsersV2Capture>[] = [];
  for (const name of usersV2Names.slice(0, MAX_USERS_V2_FILES)) usersV2.push(await load(name, parseUsersV2Capture));
  if (usersV2Names.length > MAX_USERS_V2_FILES) {
    usersV2.push({
      state: "unreadable",
      file: usersV2Names[MAX_USERS_V2_FILES]!,
      reason: `${usersV2Names.length - MAX_USERS_V2_FILES} users-v2-*.json files beyond the first ${MAX_USERS_V2_FILES} were not read`,
    });
  }

  const jwks = await load(ARTEFACT_FILES.jwks, parseJwks);
  const expected = await load(ARTEFACT_FILES.expected, parseExpectations);
  const exchanges: Exchange[] = [];
  let keys: Promise<SigningKeys> | undefined;
  const signingKeys = () => {
    keys ??= (async () => {
      if (isOk(jwks) || options.http) return resolveSigningKeys({ jwks, expected }, options.http!);
      const http = createHttpClient({ ...options.httpOptions, onExchange: (x) => exchanges.push(x) });
      try {
        return await resolveSigningKeys({ jwks, expected }, http);
      } finally {
        await http.close();
      }
    })();
    return keys;
  };
  return {
    dir,
    idToken: await load(ARTEFACT_FILES.idToken, parseCapturedToken),
    accessToken: await load(ARTEFACT_FILES.accessToken, parseCapturedToken),
    userinfo: await load(ARTEFACT_FILES.userinfo, (text, file) =>
      parseCapturedAnswer(text, file, (body) =>
        body !== null && typeof body === "object" && !Array.isArray(body) ? 200 : { reason: "the body is not a JSON object" },
      ),
    ),
    usersV2,
    jwks,
    expected,
    publicKey: await load(ARTEFACT_FILES.publicKey, (text, file) => ({ state: "ok", file, value: text })),
    signingKeys,
    get exchanges() {
      return options.http ? options.http.exchanges : exchanges;
    },
  };
}

function emptySet(reason: string): ArtefactSet {
  const missing = (file: string) => ({ state: "missing" as const, file, reason });
  return {
    unavailable: reason,
    idToken: missing(ARTEFACT_FILES.idToken),
    accessToken: missing(ARTEFACT_FILES.accessToken),
    userinfo: missing(ARTEFACT_FILES.userinfo),
    usersV2: [],
    jwks: missing(ARTEFACT_FILES.jwks),
    expected: missing(ARTEFACT_FILES.expected),
    publicKey: missing(ARTEFACT_FILES.publicKey),
    signingKeys: async () => ({ ok: false, reason }),
    exchanges: [],
  };
}
