/**
 * True when a host name is a loopback address: `localhost`, 127.0.0.0/8 or ::1 (with or without
 * the brackets WHATWG URL keeps around IPv6). The one loopback predicate of the harness: where
 * plain http is tolerated (as a warning), where a configured URL may point, where the simulator
 * and the reference service listen.
 *
 * @example
 * ```ts
 * isLoopbackHost(new URL("http://[::1]:8080/").hostname) // true
 * isLoopbackHost("127.1.2.3")                           // true
 * isLoopbackHost("auth.login.nhs.uk")                   // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
