/**
 * Property-based fuzzing of the embedded simulator's public endpoints: whatever arrives, the
 * answer is never a 5xx, it has the error shape the endpoint's specification prescribes, and the
 * simulator never logs "[simulator] internal error".
 *
 * Requests are sent with undici's Dispatcher API (`origin` + raw `path`) so the generated
 * encodings reach the server byte for byte. On a failure fast-check prints the seed, the path and
 * the shrunk counterexample; re-run with that seed to reproduce. `FUZZ_DEBUG=1` prints a tally of
 * the answers (endpoint, status, error text) to judge how deep the generated requests reach;
 * `FUZZ_SCALE=n` multiplies the number of runs for a longer soak.
 */
import { generateKeyPairSync, randomUUID, sign as rsaSign, type KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { Agent } from "undici";
import { SignJWT } from "jose";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";

const CLIENT_ID = "fuzz-client";
const REDIRECT_URI = "https://svc.example/cb";
const BODY_LIMIT = 256 * 1024;
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const NHS_NUMBER = "9990010005";
const EMAIL = "p9.simulated@example.org";

let sim: Simulator;
let agent: Agent;
let clientKey: KeyObject;
/** A federation access token (for /userinfo, and a wrong-kind token at /v2/Users). */
let federationToken = "";
/** A Users V2 access token from the jwt-bearer grant (undefined if the grant is unavailable). */
let usersToken: string | undefined;
/** An SSO session cookie from a sign-in, for the session paths of /authorize. */
let sessionCookie = "";
const internalErrors: string[] = [];
let restoreStderr: (() => void) | undefined;

// ---------------------------------------------------------------------------------------------
// Transport

interface Sent {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer | undefined;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function send(req: Sent): Promise<Answer> {
  let body: Sent["body"] | AsyncIterable<Buffer> = req.body;
  if (req.chunked && req.body !== undefined) {
    const buf = Buffer.from(req.body);
    body = (async function* () {
      for (let i = 0; i < buf.length; i += 4096) yield buf.subarray(i, i + 4096);
    })();
  }
  const res = await agent.request({
    origin: sim.url,
    path: req.path,
    method: req.method as "GET",
    headers: req.headers ?? {},
    body: body as string,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text };
}

/** Answers by endpoint, status and error text (printed with FUZZ_DEBUG=1, to judge coverage). */
const tally: Record<string, number> = {};

/** Send, then check: no 5xx, no internal error logged while answering, 431 only for oversized requests. */
async function exchange(req: Sent): Promise<Answer> {
  const before = internalErrors.length;
  const answer = await send(req);
  if (process.env.FUZZ_DEBUG) {
    const what =
      /"(?:error_description|description)":"([^"]{0,60})/.exec(answer.text)?.[1] ??
      /error_description=([^&]{0,50})/.exec(header(answer, "location") ?? "")?.[1] ??
      /<p>([^<]{0,60})/.exec(answer.text)?.[1] ??
      "";
    let text = what;
    try {
      text = decodeURIComponent(what.replace(/\+/g, " "));
    } catch {
      // keep it encoded
    }
    const key = `${req.method} ${req.path.split("?")[0]} ${answer.status} ${text.slice(0, 60)}`;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  if (answer.status === 431) {
    // Node's HTTP parser refuses a request line + headers over 16 KiB before any route runs.
    expect(req.path.length + JSON.stringify(req.headers ?? {}).length, "431 for a request under 16 KiB").toBeGreaterThan(15_000);
  }
  expect(internalErrors.slice(before), `internal error logged for ${req.method} ${req.path.slice(0, 200)}`).toEqual([]);
  expect(answer.status, `5xx for ${req.method} ${req.path.slice(0, 200)}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  return answer;
}

function header(a: Answer, name: string): string | undefined {
  const v = a.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function json(a: Answer): unknown {
  try {
    return JSON.parse(a.text);
  } catch {
    throw new Error(`status ${a.status}: body is not JSON: ${a.text.slice(0, 200)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Encodings

/**
 * Percent-encode only what cannot appear in a request target (controls, space, `#`, DEL, non-ASCII
 * as UTF-8). `%`, `&`, `=`, `+`, `;`, `[` and `]` pass through, so odd encodings reach the server.
 */
function rawEncode(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    out += b > 0x20 && b < 0x7f && b !== 0x23 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Strict form encoding (UTF-8, every reserved character escaped, space as `%20` or `+`). */
function strictEncode(s: string, plus = false): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c)) out += c;
    else if (plus && c === " ") out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

type Encoding = "raw" | "strict" | "plus";
const encodingArb: fc.Arbitrary<Encoding> = fc.constantFrom("raw", "strict", "plus");

function encodeWith(e: Encoding, s: string): string {
  return e === "raw" ? rawEncode(s) : strictEncode(s, e === "plus");
}

type Pair = readonly [string, string];

/** Pairs to a query string or form body, each part encoded its own way, joined by `&` or `;`. */
const pairsToQueryArb = (pairsArb: fc.Arbitrary<Pair[]>): fc.Arbitrary<string> =>
  fc
    .tuple(
      pairsArb,
      fc.array(encodingArb, { minLength: 16, maxLength: 16 }),
      fc.oneof({ weight: 18, arbitrary: fc.constant("&") }, { weight: 1, arbitrary: fc.constantFrom(";", "&&", "&amp;") }),
      fc.boolean(),
    )
    .map(([pairs, encs, sep, keyOnly]) =>
      pairs
        .map(([k, v], i) => {
          const e = encs[i % encs.length]!;
          return keyOnly && v === "" ? encodeWith(e, k) : `${encodeWith(e, k)}=${encodeWith(e, v)}`;
        })
        .join(sep),
    );

// ---------------------------------------------------------------------------------------------
// Generic nasty values

/** `arb` in about `percent`% of runs, else undefined. */
function rarely<T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: percent, arbitrary: arb }, { weight: 100 - percent, arbitrary: fc.constant(undefined) });
}

const oddFragments = [
  "%",
  "%zz",
  "%00",
  "%2",
  "%%",
  "%25",
  "%C0%AF",
  "%FF",
  "%ED%A0%80",
  "%E2%80%9C",
  "%u0041",
  "+",
  ";",
  "&",
  "=",
  "[]",
  "a[]",
  "a[0]",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "\u0000",
  "\r\n",
  "\u202e",
  "\ufeff",
  "😀",
  "\ud800",
  "é",
  "ｃｏｄｅ",
  "null",
  "undefined",
  "[object Object]",
  "NaN",
  "-1",
  "1e309",
] as const;

/** Characters repeated into long strings: ASCII, "%", a 2-byte and a 4-byte UTF-8 character, and NUL. */
const repeatedChars = ["a", "%", "é", "\u0000", "😀"] as const;

const nastyStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...oddFragments) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...oddFragments), { maxLength: 6 }).map((a) => a.join("")) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...repeatedChars), fc.integer({ min: 200, max: 1_200 })).map(([c, n]) => c.repeat(n)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 6_000 }).map((n) => "a".repeat(n)) },
);

// ---------------------------------------------------------------------------------------------
// JWTs: garbage, wrong segment counts, crafted headers and claims (unsigned and validly signed)

const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

const claimValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, [], {}, "", CLIENT_ID, Number.MAX_SAFE_INTEGER, -1, 0, 1e308),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
);

interface JwtSpec {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Claims near a valid client assertion: each one valid (mostly), replaced or dropped. */
const claimsArb = (aud: () => string): fc.Arbitrary<Record<string, unknown>> => {
  const claim = (valid: fc.Arbitrary<unknown>) =>
    fc.option(fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: claimValueArb }), { nil: undefined, freq: 8 });
  return fc
    .record({
      iss: claim(fc.constant(CLIENT_ID)),
      sub: claim(fc.constant(CLIENT_ID)),
      aud: claim(fc.constantFrom("<aud>", "<aud>", ["<aud>", "other"], `<aud>/`)),
      exp: claim(
        fc.oneof(
          fc.constant("<now+60>"),
          fc.integer({ min: -10_000, max: 10_000 }).map((d) => `<now${d >= 0 ? "+" : ""}${d}>`),
        ),
      ),
      iat: claim(fc.constant("<now+0>")),
      nbf: rarely(fc.oneof(fc.constant("<now+3600>"), claimValueArb), 15),
      jti: claim(fc.constantFrom("<uuid>", "<uuid>", "fixed-jti")),
      scope: rarely(claimValueArb, 15),
    })
    .map((claims) => {
      const now = Math.floor(Date.now() / 1000);
      const out: Record<string, unknown> = {};
      const fill = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(fill);
        if (typeof v !== "string") return v;
        if (v.startsWith("<aud>")) return `${aud()}${v.slice(5)}`;
        if (v === "<uuid>") return randomUUID();
        if (v.startsWith("<now")) return now + Number(v.slice(4, -1));
        return v;
      };
      for (const [k, v] of Object.entries(claims)) if (v !== undefined) out[k] = fill(v);
      return out;
    });
};

const headerArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    alg: fc.oneof(fc.constantFrom("RS512", "RS512", "RS256", "none", "HS256", "ES256", "PS512", "", "rs512"), claimValueArb),
    typ: fc.oneof(fc.constant("JWT"), claimValueArb),
    kid: claimValueArb,
    crit: fc.constantFrom(["exp"], ["b64"], "b64", []),
    b64: fc.boolean(),
    jku: fc.constant("http://127.0.0.1:1/jwks"),
  },
  { requiredKeys: [] },
);

type JwtChoice =
  | { kind: "valid" }
  | { kind: "literal"; value: string }
  | { kind: "unsigned"; spec: JwtSpec; sig: string }
  | { kind: "signed"; payload: Record<string, unknown> };

const garbageJwtArb: fc.Arbitrary<string> = fc.oneof(
  nastyStringArb,
  fc.array(fc.base64String({ maxLength: 40 }), { minLength: 0, maxLength: 7 }).map((s) => s.join(".")),
  fc.constantFrom(
    "",
    ".",
    "..",
    "...",
    "a.b",
    "a.b.c.d",
    "a.b.c.d.e",
    "e30.e30.",
    "e30.e30.e30",
    "eyJhbGciOiJub25lIn0.e30.",
    "eyJ.eyJ.eyJ",
  ),
  fc.integer({ min: 16 * 1024 - 2, max: 16 * 1024 + 64 }).map((n) => `${"e".repeat(n - 10)}.e30.AAAA`),
  fc.integer({ min: 40_000, max: 120_000 }).map((n) => `${b64({ alg: "RS512" })}.${"A".repeat(n)}.sig`),
);

const jwtChoiceArb = (aud: () => string): fc.Arbitrary<JwtChoice> =>
  fc.oneof(
    { weight: 3, arbitrary: garbageJwtArb.map((value) => ({ kind: "literal" as const, value })) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(headerArb, claimsArb(aud), fc.oneof(fc.constant(""), fc.base64String({ maxLength: 400 }), fc.constant("A".repeat(342))))
        .map(([header, payload, sig]) => ({ kind: "unsigned" as const, spec: { header, payload }, sig })),
    },
    { weight: 3, arbitrary: claimsArb(aud).map((payload) => ({ kind: "signed" as const, payload })) },
    { weight: 2, arbitrary: fc.constant({ kind: "valid" as const }) },
  );

async function materialise(choice: JwtChoice): Promise<string> {
  if (choice.kind === "valid") return validAssertion();
  if (choice.kind === "literal") return choice.value;
  if (choice.kind === "unsigned") return `${b64(choice.spec.header)}.${b64(choice.spec.payload)}.${choice.sig.replace(/=+$/, "")}`;
  // Signed by hand (jose refuses non-finite claims such as an Infinity iat; JSON makes them null).
  const input = `${b64({ alg: "RS512", typ: "JWT" })}.${b64(choice.payload)}`;
  return `${input}.${rsaSign("sha512", Buffer.from(input), clientKey).toString("base64url")}`;
}

async function validAssertion(): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS512", typ: "JWT" })
    .setIssuer(CLIENT_ID)
    .setSubject(CLIENT_ID)
    .setAudience(sim.context.endpoints.token)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(clientKey);
}

// ---------------------------------------------------------------------------------------------
// Shared request pieces

const formTypes = [
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=utf-8",
  "APPLICATION/X-WWW-FORM-URLENCODED",
  "application/x-www-form-urlencoded; charset=utf-16",
  "application/x-www-form-urlencoded;;;",
];
const otherTypes = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "text/html",
  "multipart/form-data; boundary=x",
  "multipart/form-data",
  "application/jwt",
  "application/octet-stream",
  "application/xml",
  "*/*",
  ";",
  "a/b/c",
  "application/x-www-form-urlencoded-bogus",
  "form",
  "",
  " ",
  "application/json;;",
  'text/plain; charset="',
];
const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...formTypes) },
  { weight: 3, arbitrary: fc.constantFrom(...otherTypes) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,40}$/) },
);

/** A header value undici accepts (no controls), possibly odd. */
const headerValueArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[\x20-\x7e]{0,60}$/),
  fc.constantFrom(
    "",
    " ",
    "Bearer",
    "Bearer ",
    "Bearer  x",
    "bearer abc",
    "Basic",
    "Basic Zm9vOmJhcg==",
    "Basic !!!",
    "Negotiate abc",
    "Bearer a b",
    "Bearer ====",
    "Bearer é",
  ),
);

/** A parameter that is valid, garbage, missing or repeated. */
function paramArb(name: string, valid: fc.Arbitrary<string>): fc.Arbitrary<Pair[]> {
  return fc.oneof(
    { weight: 6, arbitrary: valid.map((v): Pair[] => [[name, v]]) },
    { weight: 2, arbitrary: nastyStringArb.map((v): Pair[] => [[name, v]]) },
    { weight: 2, arbitrary: fc.constant<Pair[]>([]) },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.oneof(valid, nastyStringArb)).map(([a, b]): Pair[] => [
        [name, a],
        [name, b],
      ]),
    },
    { weight: 1, arbitrary: valid.map((v): Pair[] => [[`${name}[]`, v]]) },
    { weight: 1, arbitrary: valid.map((v): Pair[] => [[`${name}[x]`, v]]) },
  );
}

const extraPairsArb: fc.Arbitrary<Pair[]> = fc.array(fc.tuple(nastyStringArb, nastyStringArb), { maxLength: 4 });

function combine(...parts: fc.Arbitrary<Pair[]>[]): fc.Arbitrary<Pair[]> {
  return fc.tuple(...parts).map((lists) => lists.flat());
}

const RUN = { numRuns: 0, timeout: 15_000 } as const;
/** `FUZZ_SCALE=10` multiplies every run count (a longer soak; the default stays within a few seconds). */
const SCALE = Math.max(1, Math.min(100, Number(process.env.FUZZ_SCALE) || 1));
const runs = (n: number) => ({ ...RUN, numRuns: Math.round(n * SCALE) });

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  const original = process.stderr.write.bind(process.stderr);
  const spy = vi.spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.includes("[simulator] internal error")) internalErrors.push(text);
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write);
  restoreStderr = () => spy.mockRestore();

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  clientKey = privateKey;
  sim = await startSimulator({ port: 0 });
  sim.addClient({
    clientId: CLIENT_ID,
    redirectUris: [REDIRECT_URI, "https://svc.example/other?x=1"],
    publicKey: privateKey,
    scopes: ["profile", "email", "phone", "client_metadata"],
    usersV2Scopes: [sim.usersScope, "profile", "email"],
  });
  // The simulator echoes state into Location, so a 256 KiB POST body can yield a Location header
  // far over undici's 16 KiB default: allow large response headers to check those answers too.
  agent = new Agent({ connections: 8, keepAliveTimeout: 5_000, connect: { timeout: 5_000 }, maxHeaderSize: 4 * 1024 * 1024 });

  // A federation access token, for /userinfo and as a wrong-kind token at /v2/Users.
  const authorizeQuery = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid profile email client_metadata",
    state: "s",
    nonce: "n",
  });
  const authz = await send({ method: "GET", path: `/authorize?${authorizeQuery}` });
  const code = new URL(header(authz, "location")!).searchParams.get("code")!;
  sessionCookie = /nhsl_sim_session=([^;]+)/.exec(header(authz, "set-cookie") ?? "")?.[1] ?? "";
  expect(sessionCookie).toBeTruthy();
  const tok = await send({
    method: "POST",
    path: "/token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await validAssertion(),
    }).toString(),
  });
  federationToken = (json(tok) as { access_token: string }).access_token;
  expect(federationToken).toBeTruthy();

  // A Users V2 token, when the jwt-bearer grant is implemented.
  const u = await send({
    method: "POST",
    path: "/token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: JWT_BEARER,
      assertion: await validAssertion(),
      scope: `${sim.usersScope} profile email`,
    }).toString(),
  });
  if (u.status === 200) usersToken = (json(u) as { access_token?: string }).access_token;
  else console.warn(`[fuzz] jwt-bearer grant answered ${u.status} (${u.text.slice(0, 120)}): /v2/Users is fuzzed with garbage tokens only`);
});

afterAll(async () => {
  if (process.env.FUZZ_DEBUG) {
    const counts: Record<string, number> = {};
    for (const e of sim.events) {
      const k = `${e.type}:${String(e.detail.outcome)}`;
      counts[k] = (counts[k] ?? 0) + 1;
    }
    console.log(counts);
    console.log(
      Object.entries(tally)
        .sort((x, y) => y[1] - x[1])
        .map(([k, n]) => `${n}\t${k}`)
        .join("\n"),
    );
  }
  await agent?.close();
  await sim?.stop();
  restoreStderr?.();
});

// ---------------------------------------------------------------------------------------------
// Mutations of a valid request: most runs start from a request the simulator would accept and
// break one to four things in it, so the fuzzing reaches the checks deep inside each endpoint.

type Mutation<V> =
  | { op: "drop"; key: string }
  | { op: "set"; key: string; value: V }
  | { op: "dup"; key: string; value: V }
  | { op: "extra"; key: string; value: string }
  | { op: "rename"; key: string; suffix: string };

function mutationArb<V>(keys: readonly string[], valueFor: (key: string) => fc.Arbitrary<V>): fc.Arbitrary<Mutation<V>> {
  const keyArb = fc.constantFrom(...keys);
  return fc.oneof(
    { weight: 2, arbitrary: keyArb.map((key) => ({ op: "drop" as const, key })) },
    { weight: 4, arbitrary: keyArb.chain((key) => valueFor(key).map((value) => ({ op: "set" as const, key, value }))) },
    { weight: 1, arbitrary: keyArb.chain((key) => valueFor(key).map((value) => ({ op: "dup" as const, key, value }))) },
    { weight: 1, arbitrary: fc.tuple(nastyStringArb, nastyStringArb).map(([key, value]) => ({ op: "extra" as const, key, value })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(keyArb, fc.constantFrom("[]", "[0]", "[x]", " ", "%00", "\u0000", "\u00a0", "."))
        .map(([key, suffix]) => ({ op: "rename" as const, key, suffix })),
    },
  );
}

function applyMutations<V>(
  template: readonly (readonly [string, V])[],
  mutations: readonly Mutation<V>[],
  extra: (s: string) => V,
): [string, V][] {
  let pairs: [string, V][] = template.map(([k, v]) => [k, v]);
  for (const m of mutations) {
    if (m.op === "drop") pairs = pairs.filter(([k]) => k !== m.key);
    else if (m.op === "set") {
      const i = pairs.findIndex(([k]) => k === m.key);
      if (i >= 0) pairs[i] = [m.key, m.value];
      else pairs.push([m.key, m.value]);
    } else if (m.op === "dup") pairs.push([m.key, m.value]);
    else if (m.op === "extra") pairs.push([m.key, extra(m.value)]);
    else pairs = pairs.map(([k, v]) => [k === m.key ? `${k}${m.suffix}` : k, v]);
  }
  return pairs;
}

const mutationsOf = <V>(keys: readonly string[], valueFor: (key: string) => fc.Arbitrary<V>) =>
  fc.array(mutationArb(keys, valueFor), { minLength: 0, maxLength: 4 });

/** A fresh authorization code for the fuzz client (one GET /authorize). */
async function freshCode(): Promise<string> {
  const authorizeQuery = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid profile email client_metadata",
    state: "s",
    nonce: "n",
  });
  const a = await send({ method: "GET", path: `/authorize?${authorizeQuery}` });
  const code = new URL(header(a, "location")!).searchParams.get("code");
  if (!code) throw new Error(`no code from /authorize: ${a.status} ${header(a, "location")}`);
  return code;
}

/** A fresh code exchange: the federation access token and refresh token. */
async function freshTokens(): Promise<{ access_token: string; refresh_token: string }> {
  const t = await send({
    method: "POST",
    path: "/token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: await freshCode(),
      redirect_uri: REDIRECT_URI,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await validAssertion(),
    }).toString(),
  });
  if (t.status !== 200) throw new Error(`code exchange failed: ${t.status} ${t.text}`);
  return json(t) as { access_token: string; refresh_token: string };
}

// ---------------------------------------------------------------------------------------------
// /authorize

const AUTHORIZE_TEMPLATE: readonly Pair[] = [
  ["client_id", CLIENT_ID],
  ["redirect_uri", REDIRECT_URI],
  ["response_type", "code"],
  ["scope", "openid profile email"],
  ["state", "fuzz-state"],
  ["nonce", "fuzz-nonce"],
  ["vtr", '["P9.Cp.Cd"]'],
];
const authorizeValues: Record<string, fc.Arbitrary<string>> = {
  client_id: fc.constantFrom(CLIENT_ID, "unknown-client", `${CLIENT_ID} `, CLIENT_ID.toUpperCase(), ""),
  redirect_uri: fc.constantFrom(
    REDIRECT_URI,
    "https://svc.example/other?x=1",
    "https://svc.example/cb/",
    "HTTPS://svc.example/cb",
    "javascript:alert(1)",
    "https://svc.example/cb#frag",
    "",
  ),
  response_type: fc.constantFrom("code", "token", "id_token", "code id_token", "CODE", "code ", ""),
  scope: fc.constantFrom(
    "openid",
    "openid profile",
    "openid email phone landline",
    "openid profile basic_demographics",
    "profile",
    "openid unknown",
    "openid  profile",
    "openid\tprofile",
    "openid gp_integration_credentials",
    "openid openid",
    " openid ",
    "",
  ),
  state: fc.oneof(fc.string({ maxLength: 30 }), fc.constant("")),
  nonce: fc.oneof(fc.string({ maxLength: 30 }), fc.constant("")),
  vtr: fc.constantFrom(
    '["P9.Cp.Cd"]',
    '["P0.Cp"]',
    '["P5.Cp.Cd","P9.Cp.Cm"]',
    "P9.Cp.Cd",
    "[]",
    '["P9.Cp.Cd"',
    "[1,2]",
    '{"a":1}',
    '["P9.Xx"]',
    '[""]',
    '["P9.Cp.Cd","P9.Cp.Cd"]',
    "null",
    '["P9.Cp.Cd.Cm"]',
    '["P5.Cp"]',
    '[["P9.Cp.Cd"]]',
    '"P9.Cp.Cd"',
  ),
  prompt: fc.constantFrom("none", "login", "", "consent", "none login", "select_account"),
  response_mode: fc.constantFrom("query", "fragment", "form_post", ""),
  request: fc.constantFrom("e30.e30.", ""),
  request_uri: fc.constantFrom("https://x.example/r", ""),
  registration: fc.constant("{}"),
  claims: fc.constantFrom("{", '{"userinfo":{}}'),
  max_age: fc.constantFrom("-1", "0", "1e9", "x"),
  code_challenge: fc.constantFrom("x", ""),
  code_challenge_method: fc.constantFrom("plain", "S256", "none"),
};
const authorizeKeys = Object.keys(authorizeValues);

/** A mutated valid request (mostly), or parameters generated from scratch. */
const authorizeParamsArb: fc.Arbitrary<Pair[]> = fc.oneof(
  {
    weight: 4,
    arbitrary: mutationsOf(authorizeKeys, (k) =>
      fc.oneof({ weight: 3, arbitrary: authorizeValues[k]! }, { weight: 1, arbitrary: nastyStringArb }),
    ).map((ms) => applyMutations(AUTHORIZE_TEMPLATE, ms, (s) => s)),
  },
  {
    weight: 1,
    arbitrary: combine(
      ...["client_id", "redirect_uri", "response_type", "scope", "state", "nonce"].map((k) => paramArb(k, authorizeValues[k]!)),
      fc.option(paramArb("vtr", authorizeValues.vtr!), { nil: [] }),
      fc.option(paramArb("prompt", authorizeValues.prompt!), { nil: [] }),
      extraPairsArb,
    ),
  },
);

describe("fuzz /authorize", () => {
  const checkAuthorize = (a: Answer) => {
    if (a.status === 431) return; // checked in exchange(): only for a request line over 16 KiB
    if (a.status === 302) {
      expect(header(a, "location"), "302 without Location").toBeTruthy();
      return;
    }
    expect(a.status, `unexpected status ${a.status}: ${a.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(header(a, "content-type") ?? "", `4xx ${a.status} is not an HTML page: ${a.text.slice(0, 200)}`).toMatch(/^text\/html/);
    expect(a.text).toMatch(/<html/i);
  };

  it("GET: any query string gives a redirect or an HTML error page, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        pairsToQueryArb(authorizeParamsArb),
        fc.oneof(
          { weight: 18, arbitrary: fc.constant("/authorize?") },
          { weight: 1, arbitrary: fc.constantFrom("/authorize?&", "/authorize??", "/authorize?#") },
        ),
        fc.boolean(),
        async (query, prefix, withSession) => {
          // Half the runs carry a (possibly stale) SSO cookie, for the prompt=none and session paths.
          const headers: Record<string, string> = withSession ? { cookie: `nhsl_sim_session=${sessionCookie}` } : {};
          checkAuthorize(await exchange({ method: "GET", path: `${prefix}${query}`, headers }));
        },
      ),
      runs(250),
    );
  });

  it("POST: any body and content type gives a redirect or an HTML error page, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 6, arbitrary: pairsToQueryArb(authorizeParamsArb) },
          { weight: 1, arbitrary: authorizeParamsArb.map((p) => JSON.stringify(Object.fromEntries(p))) },
          { weight: 1, arbitrary: nastyStringArb },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 4_096 }).map((n) => "a=".padEnd(BODY_LIMIT + n, "b")) },
          {
            weight: 1,
            arbitrary: fc
              .integer({ min: -64, max: 64 })
              .map((n) =>
                `client_id=${CLIENT_ID}&redirect_uri=${strictEncode(REDIRECT_URI)}&response_type=code&scope=openid&nonce=n&state=`.padEnd(
                  BODY_LIMIT + n,
                  "s",
                ),
              ),
          },
        ),
        fc.oneof({ weight: 3, arbitrary: fc.constant("application/x-www-form-urlencoded") }, { weight: 2, arbitrary: contentTypeArb }),
        fc.boolean(),
        rarely(pairsToQueryArb(extraPairsArb), 15),
        async (body, contentType, chunked, query) => {
          const headers: Record<string, string> = contentType === undefined ? {} : { "content-type": contentType };
          checkAuthorize(await exchange({ method: "POST", path: query ? `/authorize?${query}` : "/authorize", headers, body, chunked }));
        },
      ),
      runs(200),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// /token

describe("fuzz /token", () => {
  const aud = () => sim.context.endpoints.token;
  type Value = string | JwtChoice;
  const VALID: JwtChoice = { kind: "valid" };
  const templates: Record<string, readonly (readonly [string, Value])[]> = {
    code: [
      ["grant_type", "authorization_code"],
      ["code", "<code>"],
      ["redirect_uri", REDIRECT_URI],
      ["client_assertion_type", ASSERTION_TYPE],
      ["client_assertion", VALID],
    ],
    refresh: [
      ["grant_type", "refresh_token"],
      ["refresh_token", "<refresh>"],
      ["client_assertion_type", ASSERTION_TYPE],
      ["client_assertion", VALID],
    ],
    users: [
      ["grant_type", JWT_BEARER],
      ["assertion", VALID],
      ["scope", "<users> profile email"],
    ],
  };
  const tokenValues: Record<string, fc.Arbitrary<Value>> = {
    grant_type: fc.constantFrom(
      "authorization_code",
      "refresh_token",
      JWT_BEARER,
      "client_credentials",
      "password",
      "implicit",
      "AUTHORIZATION_CODE",
      `${JWT_BEARER} `,
      "",
    ),
    code: fc.oneof(fc.constantFrom("<code>", "<code>x", ""), fc.base64String({ maxLength: 60 })),
    redirect_uri: fc.constantFrom(REDIRECT_URI, "https://svc.example/other?x=1", "https://svc.example/cb/", ""),
    client_assertion_type: fc.constantFrom(ASSERTION_TYPE, "urn:ietf:params:oauth:client-assertion-type:saml2-bearer", ""),
    client_assertion: jwtChoiceArb(aud),
    assertion: jwtChoiceArb(aud),
    scope: fc.constantFrom(
      "<users>",
      "<users> profile email",
      "<users> profile email phone gp_integration_credentials",
      "profile",
      "openid",
      "<users> <users>",
      "",
      " ",
      "<users>\tprofile",
      "openid profile email client_metadata",
    ),
    client_id: fc.constantFrom(CLIENT_ID, "someone-else", ""),
    refresh_token: fc.oneof(fc.constantFrom("<refresh>", ""), fc.base64String({ maxLength: 60 })),
  };
  const tokenKeys = Object.keys(tokenValues);

  const randomParamsArb: fc.Arbitrary<[string, Value][]> = fc
    .tuple(
      paramArb("grant_type", tokenValues.grant_type as fc.Arbitrary<string>),
      fc.option(paramArb("client_assertion_type", tokenValues.client_assertion_type as fc.Arbitrary<string>), { nil: [] }),
      fc.option(jwtChoiceArb(aud), { nil: undefined }),
      fc.option(jwtChoiceArb(aud), { nil: undefined }),
      fc.option(paramArb("code", fc.base64String({ minLength: 4, maxLength: 60 })), { nil: [] }),
      fc.option(paramArb("redirect_uri", tokenValues.redirect_uri as fc.Arbitrary<string>), { nil: [] }),
      fc.option(paramArb("scope", tokenValues.scope as fc.Arbitrary<string>), { nil: [] }),
      extraPairsArb,
    )
    .map(([grant, cat, ca, as, code, ru, scope, extra]) => {
      const out: [string, Value][] = [...grant, ...cat, ...code, ...ru, ...scope, ...extra].map(([k, v]) => [k, v]);
      if (ca) out.push(["client_assertion", ca]);
      if (as) out.push(["assertion", as]);
      return out;
    });

  const paramsArb: fc.Arbitrary<[string, Value][]> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom("code", "refresh", "users", "users"),
          mutationsOf<Value>(tokenKeys, (k) =>
            fc.oneof({ weight: 3, arbitrary: tokenValues[k]! }, { weight: 1, arbitrary: nastyStringArb }),
          ),
        )
        .map(([t, ms]) => applyMutations<Value>(templates[t]!, ms, (s) => s)),
    },
    { weight: 1, arbitrary: randomParamsArb },
  );

  type BodyKind = "form" | "json" | "empty" | "garbage" | "oversized";
  const tokenRequestArb = fc.record({
    params: paramsArb,
    bodyKind: fc.oneof(
      { weight: 12, arbitrary: fc.constant<BodyKind>("form") },
      { weight: 1, arbitrary: fc.constantFrom<BodyKind>("json", "empty", "garbage", "oversized") },
    ),
    garbage: nastyStringArb,
    oversizeBy: fc.integer({ min: -2_048, max: 2_048 }),
    contentType: fc.oneof(
      { weight: 10, arbitrary: fc.constant("application/x-www-form-urlencoded") },
      { weight: 2, arbitrary: contentTypeArb },
    ),
    authorization: rarely(headerValueArb, 10),
    encodings: fc.oneof(
      fc.constant<Encoding[]>(["strict", "strict", "strict", "strict"]),
      fc.array(encodingArb, { minLength: 4, maxLength: 4 }),
    ),
    chunked: fc.boolean(),
    query: rarely(pairsToQueryArb(extraPairsArb), 10),
  });

  async function resolve(pairs: [string, Value][]): Promise<Pair[]> {
    const out: Pair[] = [];
    let code: string | undefined;
    let refresh: string | undefined;
    for (const [k, v] of pairs) {
      if (typeof v !== "string") {
        out.push([k, v.kind === "valid" ? await validAssertion() : await materialise(v)]);
        continue;
      }
      let s = v.replaceAll("<users>", sim.usersScope);
      if (s.includes("<code>")) s = s.replaceAll("<code>", (code ??= await freshCode()));
      if (s.includes("<refresh>")) s = s.replaceAll("<refresh>", (refresh ??= (await freshTokens()).refresh_token));
      out.push([k, s]);
    }
    return out;
  }

  it("POST: any body gives a JSON OAuth error or a token, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(tokenRequestArb, async (r) => {
        const pairs = await resolve(r.params);
        let body: string | undefined;
        switch (r.bodyKind) {
          case "form":
            body = pairs.map(([k, v], i) => `${encodeWith(r.encodings[i % 4]!, k)}=${encodeWith(r.encodings[(i + 1) % 4]!, v)}`).join("&");
            break;
          case "json":
            body = JSON.stringify(Object.fromEntries(pairs));
            break;
          case "empty":
            body = "";
            break;
          case "garbage":
            body = r.garbage;
            break;
          case "oversized": {
            const base = pairs.map(([k, v]) => `${strictEncode(k)}=${strictEncode(v)}`).join("&");
            body = `${base}&pad=`.padEnd(BODY_LIMIT + r.oversizeBy, "x");
            break;
          }
        }
        const headers: Record<string, string> = r.contentType === undefined ? {} : { "content-type": r.contentType };
        if (r.authorization !== undefined) headers.authorization = r.authorization;
        const a = await exchange({ method: "POST", path: r.query ? `/token?${r.query}` : "/token", headers, body, chunked: r.chunked });
        if (a.status >= 400) {
          const b = json(a) as { error?: unknown; error_description?: unknown };
          expect(typeof b.error, `4xx without a string "error": ${a.text.slice(0, 200)}`).toBe("string");
          if (b.error_description !== undefined) expect(typeof b.error_description).toBe("string");
        } else {
          expect(a.status, a.text.slice(0, 200)).toBe(200);
          expect(typeof (json(a) as { access_token?: unknown }).access_token).toBe("string");
        }
      }),
      runs(250),
    );
  });

  it("other methods are refused without a 5xx", async () => {
    for (const method of ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const a = await exchange({ method, path: "/token?grant_type=authorization_code" });
      expect(a.status).toBeGreaterThanOrEqual(400);
    }
  });
});
// ---------------------------------------------------------------------------------------------
// /v2/Users

describe("fuzz /v2/Users", () => {
  const attributeArb = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("nhsnumber", "email") },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "NHSNUMBER",
        "Email",
        "nhsNumber",
        "nhs_number",
        "emails.value",
        "userName",
        "id",
        "name.familyName",
        'emails[type eq "home"].value',
        "urn:ietf:params:scim:schemas:core:2.0:User:userName",
        "",
        '"nhsnumber"',
      ),
    },
    { weight: 1, arbitrary: nastyStringArb },
  );
  const operatorArb = fc.oneof(
    { weight: 6, arbitrary: fc.constant("eq") },
    { weight: 3, arbitrary: fc.constantFrom("EQ", "Eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le", "==", "=", "eqq", "") },
    { weight: 1, arbitrary: nastyStringArb },
  );
  const valueArb = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(`"${NHS_NUMBER}"`, `"${EMAIL}"`, '"9990000018"', '"9990000019"', '"a@b.c"', '"nobody@example.org"'),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        `“${NHS_NUMBER}”`,
        `“${EMAIL}”`,
        `"${NHS_NUMBER}`,
        `${NHS_NUMBER}"`,
        NHS_NUMBER,
        `'${NHS_NUMBER}'`,
        '""',
        '"',
        '"""',
        '"\\""',
        '"a\\"b@c.d"',
        '"\\u0041"',
        `"${NHS_NUMBER}"]`,
        `["${NHS_NUMBER}"]`,
        "null",
        "true",
        "12345678901234567890",
        '"99900100050"',
        '" 9990010005"',
        '"999 001 0005"',
        '"a@b"',
        '"@."',
        '"a@b.c@d.e"',
      ),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }).map((s) => `"${s}"`) },
    { weight: 1, arbitrary: nastyStringArb },
  );
  const termArb = fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(attributeArb, operatorArb, valueArb, fc.constantFrom(" ", " ", "  ", "\t", "", "+"))
        .map(([a, o, v, s]) => `${a}${s}${o}${s}${v}`),
    },
    { weight: 1, arbitrary: attributeArb.map((a) => `${a} pr`) },
    { weight: 1, arbitrary: fc.tuple(attributeArb, valueArb).map(([a, v]) => `${a}[value eq ${v}]`) },
  );
  const joinerArb = fc.constantFrom(
    " and ",
    " or ",
    " AND ",
    " OR ",
    " Or ",
    " and not ",
    " xor ",
    " ",
    "and",
    " && ",
    " || ",
    ", ",
    " and  or ",
  );
  /** A valid filter of one to seven expressions (over five is a Table 10 error) ... */
  const validTermArb = fc
    .tuple(
      fc.constantFrom("nhsnumber", "email"),
      fc.constantFrom(NHS_NUMBER, "9990000018", "9990010013"),
      fc.constantFrom(EMAIL, "nobody@example.org", "a@b.c"),
      fc.constantFrom(" eq ", " eq ", " EQ ", " Eq "),
    )
    .map(([a, n, e, op]) => `${a}${op}"${a === "email" ? e : n}"`);
  const validFilterArb = fc
    .tuple(
      fc.array(validTermArb, { minLength: 1, maxLength: 7 }),
      fc.array(fc.constantFrom(" and ", " or ", " AND ", " OR ", " Or "), { minLength: 7, maxLength: 7 }),
    )
    .map(([terms, joins]) => terms.reduce((acc, t, i) => (i === 0 ? t : `${acc}${joins[i - 1]}${t}`), ""));
  /** ... broken in up to three places (insert, delete or replace at a position). */
  const filterFragments = [
    '"',
    "“",
    "”",
    "'",
    "(",
    ")",
    "[",
    "]",
    " ",
    "  ",
    " and ",
    " or ",
    "not ",
    "\\",
    '\\"',
    "%",
    "\u0000",
    "eq",
    "pr",
    "ne",
    "co",
    ".",
    "@",
    "0",
    "é",
    "😀",
    "\t",
    ",",
  ];
  const editArb = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom("insert", "delete", "replace"),
    length: fc.integer({ min: 1, max: 4 }),
    text: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...filterFragments) }, { weight: 1, arbitrary: nastyStringArb }),
  });
  const editedFilterArb = fc.tuple(validFilterArb, fc.array(editArb, { maxLength: 3 })).map(([f, edits]) =>
    edits.reduce((acc, e) => {
      const at = e.at % (acc.length + 1);
      if (e.kind === "insert") return `${acc.slice(0, at)}${e.text}${acc.slice(at)}`;
      if (e.kind === "delete") return `${acc.slice(0, at)}${acc.slice(at + e.length)}`;
      return `${acc.slice(0, at)}${e.text}${acc.slice(at + e.length)}`;
    }, f),
  );
  const filterArb: fc.Arbitrary<string> = fc.oneof(
    { weight: 10, arbitrary: editedFilterArb },
    {
      weight: 5,
      arbitrary: fc
        .tuple(
          fc.array(termArb, { minLength: 1, maxLength: 8 }),
          fc.array(joinerArb, { minLength: 8, maxLength: 8 }),
          fc.array(fc.constantFrom("", "", "", "(", ")", "((", "))", "[", "]", "not ", "not("), { minLength: 16, maxLength: 16 }),
        )
        .map(([terms, joins, brackets]) =>
          terms
            .map((t, i) => `${brackets[2 * i]}${t}${brackets[2 * i + 1]}`)
            .reduce((acc, t, i) => (i === 0 ? t : `${acc}${joins[i - 1]}${t}`), ""),
        ),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 6, max: 12 }).map((n) => Array.from({ length: n }, () => `nhsnumber eq "${NHS_NUMBER}"`).join(" or ")),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => `${"(".repeat(n)}nhsnumber eq "${NHS_NUMBER}"${")".repeat(n)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((n) => `${"(".repeat(n)}email eq "${EMAIL}"`) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 4_000 }).map((n) => `email eq "${"a".repeat(n)}@example.org"`) },
    { weight: 2, arbitrary: nastyStringArb },
  );
  const filterParamsArb: fc.Arbitrary<Pair[]> = combine(
    fc.oneof(
      { weight: 8, arbitrary: filterArb.map((f): Pair[] => [["filter", f]]) },
      { weight: 1, arbitrary: fc.constant<Pair[]>([]) },
      { weight: 2, arbitrary: fc.array(filterArb, { minLength: 2, maxLength: 3 }).map((fs) => fs.map((f): Pair => ["filter", f])) },
      { weight: 1, arbitrary: filterArb.map((f): Pair[] => [["filter[]", f]]) },
      { weight: 1, arbitrary: filterArb.map((f): Pair[] => [["Filter", f]]) },
    ),
    fc.option(
      fc.constantFrom<Pair[]>(
        [["attributes", "id"]],
        [["count", "-1"]],
        [["startIndex", "0"]],
        [["sortBy", "x"]],
        [["excludedAttributes", "emails"]],
      ),
      { nil: [] },
    ),
    fc.option(extraPairsArb, { nil: [] }),
  );

  const authArb: fc.Arbitrary<string | undefined | "<users>" | "<federation>"> = fc.oneof(
    { weight: 6, arbitrary: fc.constant("<users>" as const) },
    { weight: 1, arbitrary: fc.constant("<federation>" as const) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: headerValueArb },
    { weight: 2, arbitrary: garbageJwtArb.map((j) => `Bearer ${rawEncode(j).slice(0, 8_000)}`) },
  );

  it("GET: any filter and token gives a SCIM answer or a 401, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        pairsToQueryArb(filterParamsArb),
        authArb,
        fc.option(contentTypeArb, { nil: undefined }),
        async (query, auth, contentType) => {
          const headers: Record<string, string> = {};
          if (auth === "<users>") {
            if (usersToken) headers.authorization = `Bearer ${usersToken}`;
          } else if (auth === "<federation>") headers.authorization = `Bearer ${federationToken}`;
          else if (auth !== undefined) headers.authorization = auth;
          if (contentType !== undefined) headers["content-type"] = contentType;
          const a = await exchange({ method: "GET", path: query === "" ? "/v2/Users" : `/v2/Users?${query}`, headers });
          if (a.status === 400 || a.status === 403) {
            const b = json(a) as { Errors?: { description?: unknown; code?: unknown }[] };
            expect(Array.isArray(b.Errors), `${a.status} without Errors[]: ${a.text.slice(0, 200)}`).toBe(true);
            expect(typeof b.Errors![0]?.description, a.text.slice(0, 200)).toBe("string");
            expect(b.Errors![0]?.code, a.text.slice(0, 200)).toBe(String(a.status));
          } else if (a.status === 401) {
            expect(header(a, "www-authenticate"), "401 without WWW-Authenticate").toBeTruthy();
          } else if (a.status === 200) {
            const b = json(a) as { Resources?: unknown; totalResults?: unknown };
            expect(Array.isArray(b.Resources), a.text.slice(0, 200)).toBe(true);
            expect(typeof b.totalResults).toBe("number");
          }
        },
      ),
      runs(250),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// /userinfo

describe("fuzz /userinfo", () => {
  const authArb: fc.Arbitrary<string | undefined> = fc.oneof(
    { weight: 4, arbitrary: fc.constant("<federation>") },
    { weight: 1, arbitrary: fc.constant("<users>") },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: headerValueArb },
    { weight: 2, arbitrary: garbageJwtArb.map((j) => `Bearer ${rawEncode(j).slice(0, 8_000)}`) },
    { weight: 1, arbitrary: fc.constantFrom("<federation-lower>", "<federation-extra-space>", "<federation-tampered>") },
  );
  const bodyArb: fc.Arbitrary<string | undefined> = fc.oneof(
    fc.constant(undefined),
    fc
      .oneof(
        fc.string({ maxLength: 60 }),
        fc.constantFrom("auto", "", "x".repeat(1_025)),
        fc.integer(),
        fc.constant(null),
        fc.constant({ a: 1 }),
      )
      .map((v) => JSON.stringify({ client_user_metadata: v })),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.constantFrom(
      "{",
      "}",
      "[",
      '{"a":',
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{}}}',
      "null",
      '"str"',
      "1",
      "",
      "  ",
      '{"client_user_metadata":"\\ud800"}',
    ),
    nastyStringArb,
    fc.constantFrom("access_token=abc", "access_token=abc&access_token=def", "a=b"),
    fc.integer({ min: 1, max: 2_048 }).map((n) => `{"client_user_metadata":"`.padEnd(BODY_LIMIT + n, "x")),
  );

  it("GET/POST/PATCH: any token and body gives claims, 204 or a spec error, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PATCH"),
        authArb,
        bodyArb,
        fc.oneof(fc.constant("application/json"), contentTypeArb),
        rarely(
          pairsToQueryArb(combine(fc.option(paramArb("access_token", fc.constantFrom("abc", "<federation>")), { nil: [] }), extraPairsArb)),
          30,
        ),
        async (method, auth, body, contentType, query) => {
          const headers: Record<string, string> = {};
          if (auth === "<federation>") headers.authorization = `Bearer ${federationToken}`;
          else if (auth === "<users>") headers.authorization = `Bearer ${usersToken ?? "none"}`;
          else if (auth === "<federation-lower>") headers.authorization = `bearer ${federationToken}`;
          else if (auth === "<federation-extra-space>") headers.authorization = `Bearer  ${federationToken}`;
          else if (auth === "<federation-tampered>") headers.authorization = `Bearer ${federationToken.slice(0, -4)}AAAA`;
          else if (auth !== undefined) headers.authorization = auth;
          if (contentType !== undefined && body !== undefined) headers["content-type"] = contentType;
          const path = query
            ? `/userinfo?${query.replaceAll("%3Cfederation%3E", federationToken).replaceAll("<federation>", federationToken)}`
            : "/userinfo";
          const a = await exchange({ method, path, headers, body: method === "GET" ? undefined : body });
          const challenge = header(a, "www-authenticate");
          if (a.status === 401 || a.status === 403 || (a.status >= 400 && challenge !== undefined)) {
            // RFC 6750 §3: a bearer-token error (400 invalid_request, 401, 403) carries the challenge.
            expect(challenge, `${a.status} without WWW-Authenticate: ${a.text.slice(0, 200)}`).toMatch(/^Bearer /);
          } else if (a.status >= 400) {
            const b = json(a) as { error?: unknown };
            expect(typeof b.error, `4xx without a string "error": ${a.text.slice(0, 200)}`).toBe("string");
          } else if (a.status === 200) {
            expect((json(a) as { sub?: unknown }).sub).toBeTypeOf("string");
          } else {
            expect(a.status).toBe(204);
          }
        },
      ),
      runs(200),
    );
  });
});

describe("simulator health after fuzzing", () => {
  it("logged no internal error and still completes a normal sign-in", async () => {
    expect(internalErrors).toEqual([]);
    const authorizeQuery = new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: "code",
      scope: "openid",
      state: "s",
      nonce: "n",
    });
    const a = await exchange({
      method: "GET",
      path: `/authorize?${authorizeQuery}`,
    });
    expect(a.status).toBe(302);
    expect(new URL(header(a, "location")!).searchParams.get("code")).toBeTruthy();
  });
});
