/**
 * Private value parsers for lib/config. Each takes the raw string and returns the typed value, or
 * throws {@link Invalid} with a detail that never repeats secret material.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { isValidNhsNumber } from "../nhs/nhs-number.ts";
import { EIS_PROFILES, parseVtr, VectorSyntaxError } from "../nhs/vot.ts";
import { Invalid, quote, type Parser } from "./_internal.ts";
import { isEmailShaped } from "../nhs/email.ts";
import { isLoopbackHost } from "../http/is-loopback-host.ts";
import { checkProvisionBody, ODS_CODE_PATTERN } from "../nhs/provision-account/check-provision-body.ts";
import type { PaTestPatient } from "./types.ts";

/** RFC 6749 §3.3 scope-token characters. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (value) => {
    const lower = value.toLowerCase();
    const found = values.find((v) => v === lower);
    if (found === undefined) throw new Invalid(`got ${quote(value)}`);
    return found;
  };
}

export const boolean: Parser<boolean> = (value) => {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new Invalid(`got ${quote(value)}; only "true" or "false" are accepted`);
};

export function integer(min: number, max: number): Parser<number> {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new Invalid(`got ${quote(value)}, which is not a whole number`);
    const n = Number(value);
    if (n < min || n > max) throw new Invalid(`${n} is out of range`);
    return n;
  };
}

export const identifier: Parser<string> = (value) => {
  if (/\s/.test(value)) throw new Invalid(`got ${quote(value)}, which contains whitespace`);
  return value;
};

/** A Provision Account test patient: a JSON object with T7's fields but the ODS code, each meeting T7. */
export const paTestPatient: Parser<PaTestPatient> = (value) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Invalid("got text that is not JSON");
  }
  const problems = checkProvisionBody({ ...(parsed as object), ods_code: "A12345" }).filter((p) => p.status === "failed");
  if (problems.length > 0) throw new Invalid(problems.map((p) => p.problem).join("; "));
  const p = parsed as Record<string, string>;
  return { nhs_number: p.nhs_number!, email_address: p.email_address!, date_of_birth: p.date_of_birth!, phone_number: p.phone_number! };
};

/** An ODS code as Provision Account takes it (PA-09): a capital letter and 5 or 6 digits. */
export const odsCode: Parser<string> = (value) => {
  if (!ODS_CODE_PATTERN.test(value)) throw new Invalid(`got ${quote(value)}`);
  return value;
};

/** Any text that is not blank, without its surrounding whitespace. */
export const text: Parser<string> = (value) => {
  if (value.trim() === "") throw new Invalid("got only whitespace");
  return value.trim();
};

/** Text to find on a page: plain text, or a regular expression written `/source/flags`. */
export const textOrPattern: Parser<string | RegExp> = (value) => {
  text(value);
  const m = /^\/(.+)\/([a-z]*)$/s.exec(value);
  if (!m) return value;
  try {
    return new RegExp(m[1]!, m[2]);
  } catch (err) {
    throw new Invalid(`got ${quote(value)}, which is not a valid regular expression: ${(err as Error).message}`);
  }
};

export const scopeToken: Parser<string> = (value) => {
  if (!SCOPE_TOKEN.test(value)) throw new Invalid(`got ${quote(value)}, which contains spaces or characters not allowed in a scope`);
  return value;
};

function scopeTokens(value: string): string[] {
  const tokens = value.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw new Invalid("no scopes given");
  for (const t of tokens) if (!SCOPE_TOKEN.test(t)) throw new Invalid(`${quote(t)} is not a valid scope`);
  return [...new Set(tokens)];
}

/** Space-separated scopes that must include `openid`. */
export const openidScopes: Parser<string[]> = (value) => {
  const tokens = scopeTokens(value);
  if (!tokens.includes("openid")) throw new Invalid(`got ${quote(value)}, which lacks "openid"`);
  return tokens;
};

/** Space-separated scopes, each one of `allowed`. */
export function scopesFrom<T extends string>(allowed: readonly T[]): Parser<T[]> {
  return (value) => {
    const tokens = scopeTokens(value);
    const unknown = tokens.filter((t) => !(allowed as readonly string[]).includes(t));
    if (unknown.length > 0) throw new Invalid(`unknown: ${unknown.map(quote).join(", ")}`);
    return tokens as T[];
  };
}

export const vtr: Parser<string[]> = (value) => {
  try {
    return parseVtr(value).map((v) => v.raw);
  } catch (err) {
    if (err instanceof VectorSyntaxError) throw new Invalid(err.message);
    throw err;
  }
};

/**
 * A vtr NHS login accepts: every vector one of the twelve profiles of EIS Table 21 (VOT-04), so a
 * request the target would refuse (e.g. `["P9"]`) is refused here, not reported as its failures.
 */
export const profileVtr: Parser<string[]> = (value) => {
  const vectors = vtr(value);
  const outside = vectors.filter((v) => !EIS_PROFILES.includes(v));
  if (outside.length > 0)
    throw new Invalid(
      `${outside.map(quote).join(", ")} ${outside.length === 1 ? "is not a profile" : "are not profiles"} NHS login accepts ` +
        `(${EIS_PROFILES.join(", ")})`,
    );
  return vectors;
};

export const nhsNumber: Parser<string> = (value) => {
  if (!/^\d{10}$/.test(value)) throw new Invalid(`got ${quote(value)}, which is not 10 digits`);
  if (!isValidNhsNumber(value)) throw new Invalid(`${value} fails the modulus 11 check`);
  return value;
};

export const email: Parser<string> = (value) => {
  if (!isEmailShaped(value)) throw new Invalid(`got ${quote(value)}`);
  return value;
};

function absoluteUrl(value: string): URL {
  if (/\s/.test(value)) throw new Invalid(`got ${quote(value)}, which contains whitespace`);
  try {
    return new URL(value);
  } catch {
    throw new Invalid(`got ${quote(value)}, which is not an absolute URL`);
  }
}

function isHttp(url: URL): boolean {
  return url.protocol === "http:" || url.protocol === "https:";
}

function refuseQueryAndFragment(value: string): void {
  if (value.includes("?")) throw new Invalid(`${quote(value)} has a query string`);
  if (value.includes("#")) throw new Invalid(`${quote(value)} has a fragment`);
}

/** Any absolute http(s) URL, returned exactly as written. */
export const httpUrl: Parser<string> = (value) => {
  const url = absoluteUrl(value);
  if (!isHttp(url)) throw new Invalid(`${quote(value)} uses ${url.protocol}`);
  return value;
};

/** An OpenID issuer: https (http only on loopback), no query or fragment, kept byte-for-byte. */
export const issuerUrl: Parser<string> = (value) => {
  const url = absoluteUrl(value);
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new Invalid(`${quote(value)} uses http on a host that is not loopback`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Invalid(`${quote(value)} uses ${url.protocol}`);
  refuseQueryAndFragment(value);
  return value;
};

/** An http(s) URL on a loopback host, without query or fragment. */
export const loopbackUrl: Parser<string> = (value) => {
  httpUrl(value);
  const url = new URL(value);
  if (!isLoopbackHost(url.hostname)) throw new Invalid(`${quote(value)} is not on a loopback host`);
  refuseQueryAndFragment(value);
  return value;
};

/** 1..10 comma-separated absolute http(s) URLs with no wildcard, query or fragment. */
export const redirectUriList: Parser<string[]> = (value) => {
  const items = value.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new Invalid("the list has an empty entry");
  if (items.length > 10) throw new Invalid(`${items.length} URIs given`);
  for (const item of items) {
    if (item.includes("*")) throw new Invalid(`${quote(item)} contains a wildcard`);
    refuseQueryAndFragment(item);
    httpUrl(item);
  }
  return items;
};

/** The path of an existing regular file, made absolute (relative paths are taken from the working directory). */
export const existingFile: Parser<string> = (value) => {
  const path = resolve(value);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Invalid(code === "ENOENT" ? `nothing exists at ${quote(value)}` : `cannot read ${quote(value)} (${code ?? "unknown error"})`);
  }
  if (!isFile) throw new Invalid(`${quote(value)} is not a file`);
  return path;
};

/** The path of an existing directory, made absolute (relative paths are taken from the working directory). */
export const existingDirectory: Parser<string> = (value) => {
  const path = resolve(value);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Invalid(code === "ENOENT" ? `nothing exists at ${quote(value)}` : `cannot read ${quote(value)} (${code ?? "unknown error"})`);
  }
  if (!isDirectory) throw new Invalid(`${quote(value)} is not a directory`);
  return path;
};
