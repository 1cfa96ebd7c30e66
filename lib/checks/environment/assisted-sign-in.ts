/**
 * Assisted sign-in: against a real NHS login environment a person has to sign in. For each
 * sign-in the harness listens on its loopback redirect URI (127.0.0.1 only), prints the full
 * authorization URL for the person to open, waits a bounded time for the browser to come back,
 * answers it with a "you can close this tab" page, stops listening, and returns the redirect URL
 * (with `code` and `state`, or `error`). Under CI nobody is there: the `code-flow` capability is
 * reported unavailable so the checks that need it skip, and `signIn` refuses at once.
 *
 * @example
 * ```ts
 * const assisted = createAssistedSignIn({
 *   redirectUri: "http://127.0.0.1:8765/callback",
 *   timeoutMs: 300_000,
 *   print: (line) => process.stderr.write(`${line}\n`),
 *   authorizationEndpoint: async () => String((await env.discovery()).authorization_endpoint),
 * })
 * const env = createEnvironmentContext({ ..., signIn: assisted.signIn, unavailable: { ...assisted.unavailable } })
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Capability, EnvironmentContext } from "./environment-check.ts";

export interface AssistedSignInOptions {
  /** The harness's registered loopback redirect URI (NHSLOGIN_REDIRECT_URI), plain http. */
  redirectUri: string;
  /** How long to wait for the browser, per sign-in. */
  timeoutMs: number;
  /** Where instructions go (one line per call). */
  print(line: string): void;
  /** True when nobody can sign in (default: the CI variable is "true" or "1"). */
  ci?: boolean;
  /** The authorization endpoint, or a function giving it (e.g. from discovery, resolved lazily). */
  authorizationEndpoint: string | (() => Promise<string>);
}

export interface AssistedSignIn {
  /** Sign a person in for these authorization parameters; resolves to the redirect URL. */
  signIn: NonNullable<EnvironmentContext["signIn"]>;
  /** Capabilities to mark unavailable (`code-flow` under CI or with an unusable redirect URI). */
  unavailable: Partial<Record<Capability, string>>;
}

export const CI_REASON = "assisted sign-in needs a person; skipped under CI";

const CLOSE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in received</title></head>
<body><main><h1>Sign-in received</h1><p>The conformance harness has the response. You can close this tab.</p></main></body></html>`;

export function createAssistedSignIn(options: AssistedSignInOptions): AssistedSignIn {
  const ci = options.ci ?? (process.env.CI === "true" || process.env.CI === "1");
  const problem = ci ? CI_REASON : redirectUriProblem(options.redirectUri);
  if (problem) {
    return { signIn: async () => Promise.reject(new Error(problem)), unavailable: { "code-flow": problem } };
  }
  // One sign-in at a time: each needs the redirect URI's port.
  let queue: Promise<unknown> = Promise.resolve();
  const signIn = (params: Record<string, string>): Promise<URL> => {
    const run = queue.then(() => signInOnce(options, params));
    queue = run.catch(() => undefined);
    return run;
  };
  return { signIn, unavailable: {} };
}

/** Why assisted mode cannot listen at this redirect URI, or undefined. */
export function redirectUriProblem(redirectUri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return `assisted sign-in needs an absolute redirect URI; NHSLOGIN_REDIRECT_URI is ${JSON.stringify(redirectUri)}`;
  }
  if (url.protocol !== "http:") return `assisted sign-in listens on plain http only; NHSLOGIN_REDIRECT_URI is ${url.protocol}//`;
  if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost")
    return `assisted sign-in listens on 127.0.0.1 only; NHSLOGIN_REDIRECT_URI names host ${url.hostname}`;
  if (url.hash) return "NHSLOGIN_REDIRECT_URI must not have a fragment";
  return undefined;
}

async function signInOnce(options: AssistedSignInOptions, params: Record<string, string>): Promise<URL> {
  const endpoint =
    typeof options.authorizationEndpoint === "string" ? options.authorizationEndpoint : await options.authorizationEndpoint();
  const authorizeUrl = new URL(endpoint);
  for (const [k, v] of Object.entries(params)) authorizeUrl.searchParams.append(k, v);
  const redirect = new URL(options.redirectUri);
  const port = Number(redirect.port || 80);
  const seconds = options.timeoutMs >= 1000 ? Math.round(options.timeoutMs / 1000) : options.timeoutMs / 1000;

  let arrived: (url: URL) => void = () => {};
  const browserCame = new Promise<URL>((resolve) => {
    arrived = resolve;
  });
  let done = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const seen = new URL(req.url ?? "/", redirect.origin);
    if (done || req.method !== "GET" || seen.pathname !== redirect.pathname) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end("Not the sign-in callback.\n");
      return;
    }
    done = true;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", connection: "close" });
    res.end(CLOSE_PAGE, () => arrived(new URL(`${redirect.origin}${seen.pathname}${seen.search}`)));
  });
  await listen(server, port);
  let timer: NodeJS.Timeout | undefined;
  try {
    options.print("");
    options.print(`NHS login assisted sign-in: open this URL in a browser and sign in with a test account within ${seconds} s:`);
    options.print(authorizeUrl.href);
    options.print(`Waiting for the browser to come back to ${options.redirectUri} ...`);
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no sign-in within ${seconds} s: the browser never reached ${options.redirectUri}`)),
        options.timeoutMs,
      );
    });
    const url = await Promise.race([browserCame, timedOut]);
    options.print("Sign-in response received.");
    return url;
  } finally {
    if (timer) clearTimeout(timer);
    await close(server);
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === "EADDRINUSE"
            ? `cannot listen for the sign-in on 127.0.0.1:${port}: the port is in use`
            : `cannot listen for the sign-in on 127.0.0.1:${port}: ${err.message}`,
        ),
      );
    };
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
