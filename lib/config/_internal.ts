/** Private helpers for lib/config: the collecting reader, dotenv merging and deep freezing. */
import { readFileSync } from "node:fs";
import { parse as parseDotenv } from "dotenv";
import { ConfigError } from "../errors/index.ts";

/** Thrown by a parser to say why a value was refused; {@link EnvReader} turns it into a ConfigError. */
export class Invalid extends Error {}

export type Parser<T> = (value: string) => T;

/** Reads variables through parsers and collects every problem instead of stopping at the first. */
export class EnvReader {
  readonly problems: ConfigError[] = [];
  /** Every variable name asked for, so names nobody reads can be reported. */
  readonly names = new Set<string>();

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** The value of `name`, or `undefined` when it is unset or empty. */
  raw(name: string): string | undefined {
    this.names.add(name);
    const value = this.env[name];
    return value === undefined || value === "" ? undefined : value;
  }

  /** Parse `name` when set; on an {@link Invalid} record a ConfigError and return `undefined`. */
  read<T>(name: string, expected: string, parse: Parser<T>): T | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      return parse(value);
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      this.problems.push(new ConfigError(name, expected, err.message || undefined));
      return undefined;
    }
  }
}

/**
 * `env` with the entries of the dotenv file at `path` added underneath: a variable already present
 * in `env` (even empty) wins. A missing file is ignored; any other read failure throws {@link Invalid}.
 */
export function withDotenv(env: NodeJS.ProcessEnv, path: string | false): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...env };
  if (path === false) return merged;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return merged;
    throw new Invalid(`cannot read ${path} (${code ?? "unknown error"})`);
  }
  for (const [name, value] of Object.entries(parseDotenv(text))) {
    if (merged[name] === undefined) merged[name] = value;
  }
  return merged;
}

/** A short, quoted rendering of a value for error details. Never use it on secrets. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

/** Freeze plain objects and arrays recursively; other objects (KeyObject) are left as they are. */
export function deepFreeze<T>(value: T): T {
  if (Array.isArray(value) || (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)) {
    for (const child of Object.values(value as object)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
