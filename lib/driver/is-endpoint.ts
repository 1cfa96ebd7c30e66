/**
 * Whether a URL is an endpoint: same origin and path, any query (how the driver recognises NHS
 * login's `/authorize` in a redirect, a link or a form).
 *
 * @example
 * ```ts
 * isEndpoint("http://127.0.0.1:9000/authorize?state=x", "http://127.0.0.1:9000/authorize") // true
 * ```
 */
export function isEndpoint(url: URL | string, endpoint: string): boolean {
  const u = new URL(url);
  const e = new URL(endpoint);
  return u.origin === e.origin && u.pathname === e.pathname;
}
