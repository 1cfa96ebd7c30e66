/**
 * Test helper: capture a folder of artefacts from the embedded simulator the way a partner would
 * from a real flow: a code flow (authorize, token with a private_key_jwt assertion, userinfo), a
 * Users V2 token and two searches (one refused), the JWKS, and expected.json. Plus helpers to copy
 * the folder and tamper with it.
 */
import { createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader, SignJWT, type JWTPayload } from "jose";
import { startSimulator, type Simulator } from "../../lib/simulator/start-simulator.ts";
import { createClientAssertion } from "../../lib/jose/create-client-assertion.ts";
import { DEFAULT_HARNESS_CLIENT_ID, HARNESS_REDIRECT_URI } from "../../lib/simulator/from-config.ts";
import { FEDERATION_SCOPES } from "../../lib/nhs/scopes.ts";
import { EIS_PROFILES } from "../../lib/nhs/vot.ts";
import { PERSONAS } from "../../lib/simulator/personas.ts";
import type { DefectId } from "../../lib/simulator/faults.ts";

const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

export const SCOPES = ["openid", "profile", "email", "phone"];
export const VTR = ["P9.Cp.Cd"];
export const P9_NHS_NUMBER = PERSONAS.find((p) => p.id === "p9")!.nhsNumber!;

export interface Captured {
  sim: Simulator;
  /** The folder of good artefacts (do not modify; copy it). */
  dir: string;
  clientId: string;
  nonce: string;
  /** A fresh copy of the good folder, removed with `stop()`. */
  copy(): string;
  stop(): Promise<void>;
}

/** Headers as a plain object, lower-case names. */
function headersOf(res: Response): Record<string, string> {
  return Object.fromEntries([...res.headers].map(([k, v]) => [k.toLowerCase(), v]));
}

/** An envelope { status, headers, body, request? } for a captured answer. */
async function envelope(res: Response, request?: Record<string, string>): Promise<Record<string, unknown>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* kept as text */
  }
  return { status: res.status, headers: headersOf(res), body, ...(request ? { request } : {}) };
}

export interface CaptureOptions {
  /** Simulator defects to capture under: a real flow against a non-conformant environment. */
  defects?: DefectId[];
}

export async function captureArtefacts(options: CaptureOptions = {}): Promise<Captured> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const clientId = DEFAULT_HARNESS_CLIENT_ID;
  const sim = await startSimulator({
    port: 0,
    defects: options.defects ?? [],
    clients: [
      {
        clientId,
        redirectUris: [HARNESS_REDIRECT_URI],
        publicKey: privateKey,
        scopes: FEDERATION_SCOPES,
        vtr: EIS_PROFILES,
        usersV2Scopes: "all",
      },
    ],
  });
  const dirs: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "artefacts-good-"));
  dirs.push(dir);
  try {
    const discovery = (await (await fetch(`${sim.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    const assertion = (audience: string) => createClientAssertion({ clientId, privateKey, audience });

    // Code flow.
    const nonce = `n-${randomUUID()}`;
    const state = `s-${randomUUID()}`;
    const authorize = new URL(discovery.authorization_endpoint!);
    for (const [k, v] of Object.entries({
      client_id: clientId,
      redirect_uri: HARNESS_REDIRECT_URI,
      response_type: "code",
      scope: SCOPES.join(" "),
      state,
      nonce,
      vtr: JSON.stringify(VTR),
    })) {
      authorize.searchParams.set(k, v);
    }
    const redirect = await fetch(authorize, { redirect: "manual" });
    const location = new URL(redirect.headers.get("location") ?? "", authorize);
    const code = location.searchParams.get("code");
    if (!code) throw new Error(`no code: HTTP ${redirect.status} ${location}`);
    const tokenRes = await fetch(discovery.token_endpoint!, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: HARNESS_REDIRECT_URI,
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: await assertion(discovery.token_endpoint!),
      }),
    });
    const tokens = (await tokenRes.json()) as { id_token: string; access_token: string };
    if (!tokens.id_token) throw new Error(`no tokens: HTTP ${tokenRes.status}`);
    const userinfo = await fetch(discovery.userinfo_endpoint!, { headers: { authorization: `Bearer ${tokens.access_token}` } });

    // Users V2: a token, a search, a refused search.
    const usersScopes = [sim.usersScope, "profile", "email"];
    const usersTokenRes = await fetch(discovery.token_endpoint!, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: JWT_BEARER,
        assertion: await assertion(discovery.token_endpoint!),
        scope: usersScopes.join(" "),
      }),
    });
    const usersToken = await envelope(usersTokenRes, { scope: usersScopes.join(" ") });
    const bearer = (usersToken.body as { access_token?: string }).access_token ?? "";
    const usersUrl = new URL("v2/Users", discovery.token_endpoint!).toString();
    const search = async (filter: string) =>
      fetch(`${usersUrl}?filter=${encodeURIComponent(filter)}`, {
        headers: { authorization: `Bearer ${bearer}`, accept: "application/scim+json" },
      });
    const searchFilter = `nhsnumber eq "${P9_NHS_NUMBER}"`;
    const found = await envelope(await search(searchFilter), { filter: searchFilter });
    const refused = await search("nhsnumber eq 9990010005"); // unquoted value: Invalid syntax

    const jwks = await (await fetch(discovery.jwks_uri!)).text();

    writeFileSync(join(dir, "id_token.jwt"), `${tokens.id_token}\n`);
    writeFileSync(join(dir, "access_token.jwt"), tokens.access_token);
    writeFileSync(join(dir, "userinfo.json"), await userinfo.text());
    writeFileSync(join(dir, "users-v2-token.json"), JSON.stringify(usersToken, null, 2));
    writeFileSync(join(dir, "users-v2-search.json"), JSON.stringify(found, null, 2));
    writeFileSync(join(dir, "users-v2-error.json"), await refused.text());
    writeFileSync(join(dir, "jwks.json"), jwks);
    // The public key the client registered, as `openssl rsa -pubout` writes it.
    writeFileSync(join(dir, "public_key.pem"), createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString());
    writeFileSync(
      join(dir, "expected.json"),
      JSON.stringify(
        {
          issuer: sim.issuer,
          client_id: clientId,
          nonce,
          vtr: VTR,
          scopes: SCOPES,
          users_v2: { users_scope: sim.usersScope, scopes: usersScopes },
        },
        null,
        2,
      ),
    );

    return {
      sim,
      dir,
      clientId,
      nonce,
      copy() {
        const d = mkdtempSync(join(tmpdir(), "artefacts-copy-"));
        dirs.push(d);
        cpSync(dir, d, { recursive: true });
        return d;
      },
      async stop() {
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
        await sim.stop();
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
    throw err;
  }
}

/** Read and parse a JSON file of the folder. */
export function readJson(dir: string, file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
}

/** Change a JSON file of the folder. */
export function editJson(dir: string, file: string, edit: (data: Record<string, unknown>) => void): void {
  const data = readJson(dir, file);
  edit(data);
  writeFileSync(join(dir, file), JSON.stringify(data));
}

/** Flip one bit of the signature's first byte (the token stays well formed). */
export function flipSignature(token: string): string {
  const [h, p, s] = token.trim().split(".");
  const sig = Buffer.from(s!, "base64url");
  sig[0] = sig[0]! ^ 0x01;
  return `${h}.${p}.${sig.toString("base64url")}`;
}

/**
 * Re-sign a captured token with `key` after changing its claims and header: the header keeps its
 * kid unless told otherwise, so a verifier picks the published key and the signature fails.
 */
export async function resign(
  token: string,
  key: KeyObject,
  change: { claims?: Record<string, unknown>; header?: Record<string, unknown> } = {},
): Promise<string> {
  const payload: Record<string, unknown> = { ...decodeJwt(token.trim()) };
  for (const [k, v] of Object.entries(change.claims ?? {})) {
    if (v === undefined) delete payload[k];
    else payload[k] = v;
  }
  const header: Record<string, unknown> = { ...decodeProtectedHeader(token.trim()) };
  for (const [k, v] of Object.entries(change.header ?? {})) {
    if (v === undefined) delete header[k];
    else header[k] = v;
  }
  return new SignJWT(payload as JWTPayload).setProtectedHeader(header as { alg: string }).sign(key);
}

/** A fresh RSA key, not published anywhere. */
export function strangerKey(): KeyObject {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}
