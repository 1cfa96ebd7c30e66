/**
 * Errors raised by the harness. Every class has a stable `code`; together they form a
 * discriminated union ({@link HarnessError}) so callers can `switch (err.code)`.
 *
 * @example
 * ```ts
 * try { loadConfig() } catch (err) {
 *   if (err instanceof ConfigError) console.error(err.variable, err.expected)
 *   if (err instanceof ConfigErrors) for (const e of err.errors) console.error(e.variable, e.expected)
 * }
 * ```
 */
export abstract class HarnessErrorBase extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration variable has a value the harness cannot use. */
export class ConfigError extends HarnessErrorBase {
  readonly code = "ERR_CONFIG_INVALID" as const;
  constructor(
    /** The environment variable at fault, e.g. `NHSLOGIN_ISSUER`. */
    readonly variable: string,
    /** What was expected, in words, e.g. `an https URL`. */
    readonly expected: string,
    detail?: string,
  ) {
    super(`${variable}: expected ${expected}${detail ? ` (${detail})` : ""}`);
  }
}

/**
 * Several configuration variables are wrong at once. `errors` holds one {@link ConfigError} per
 * variable; the message lists them all, one per line.
 */
export class ConfigErrors extends HarnessErrorBase {
  readonly code = "ERR_CONFIG_INVALID_MANY" as const;
  constructor(readonly errors: readonly ConfigError[]) {
    super(`${errors.length} configuration problems:\n${errors.map((e) => `- ${e.message}`).join("\n")}`);
  }
}

/** An HTTP exchange did not complete within the per-request timeout. */
export class HttpTimeoutError extends HarnessErrorBase {
  readonly code = "ERR_HTTP_TIMEOUT" as const;
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`${url}: no complete response within ${timeoutMs} ms`);
  }
}

/** A response body exceeded the configured size cap. */
export class HttpResponseTooLargeError extends HarnessErrorBase {
  readonly code = "ERR_HTTP_TOO_LARGE" as const;
  constructor(
    readonly url: string,
    readonly maxBytes: number,
  ) {
    super(`${url}: response body larger than ${maxBytes} bytes`);
  }
}

/** The connection failed: refused, reset, DNS, or TLS verification. */
export class HttpConnectionError extends HarnessErrorBase {
  readonly code = "ERR_HTTP_CONNECTION" as const;
  constructor(
    readonly url: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${url}: ${reason}`, options);
  }
}

/** A response body was expected to be JSON and was not. */
export class HttpInvalidJsonError extends HarnessErrorBase {
  readonly code = "ERR_HTTP_INVALID_JSON" as const;
  constructor(
    readonly url: string,
    readonly detail: string,
  ) {
    super(`${url}: response body is not valid JSON (${detail})`);
  }
}

/** A key could not be read or does not meet the requirements (RSA, 2048+ bits). */
export class KeyError extends HarnessErrorBase {
  readonly code = "ERR_KEY_INVALID" as const;
}

/** A Users Endpoint V2 filter does not follow the grammar; `description` is the Table 10 text. */
export class FilterError extends HarnessErrorBase {
  readonly code = "ERR_FILTER_INVALID" as const;
  constructor(readonly description: string) {
    super(description);
  }
}

/**
 * Whether the browser is signed in cannot be told: no way of telling it was proven on this
 * service (the signed-in oracle is unusable). A check that reads a journey's `signedIn` then
 * ends inconclusive with this message.
 */
export class SignedInUnknownError extends HarnessErrorBase {
  readonly code = "ERR_SIGNED_IN_UNKNOWN" as const;
  constructor(readonly reason: string) {
    super(`cannot tell whether the user is signed in: ${reason}`);
  }
}

/** The service under test stopped answering, so a scenario was not run. */
export class ServiceDownError extends HarnessErrorBase {
  readonly code = "ERR_SERVICE_DOWN" as const;
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Browser mode: a step of SERVICE_BROWSER_STEPS could not be done (the message names the step and why). */
export class BrowserStepError extends HarnessErrorBase {
  readonly code = "ERR_BROWSER_STEP" as const;
}

/** A journal file (npm run simulator -- --journal) cannot be judged: unreadable, or a line is not what a journal holds. */
export class JournalError extends HarnessErrorBase {
  readonly code = "ERR_JOURNAL_INVALID" as const;
  constructor(
    readonly file: string,
    /** The 1-based line at fault; 0 for the file as a whole. */
    readonly line: number,
    reason: string,
  ) {
    super(`journal ${file}${line > 0 ? ` line ${line}` : ""} ${reason}`);
  }
}

/** `npm run simulator -- --workers N`: the workers could not start (the message says which and why). */
export class SimulatorWorkersError extends HarnessErrorBase {
  readonly code = "ERR_SIMULATOR_WORKERS" as const;
}

export type HarnessError =
  | ConfigError
  | ConfigErrors
  | HttpTimeoutError
  | HttpResponseTooLargeError
  | HttpConnectionError
  | HttpInvalidJsonError
  | KeyError
  | FilterError
  | SignedInUnknownError
  | ServiceDownError
  | BrowserStepError
  | JournalError
  | SimulatorWorkersError;
