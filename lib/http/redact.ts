/**
 * Redaction for reports: JWT signatures, private keys, secrets and tokens.
 *
 * @example
 * ```ts
 * import { redactExchange, redactJwt, redactText } from "./redact.ts"
 * ```
 */
export { redactJwt } from "./redact-jwt.ts";
export { redactText, MASK, PRIVATE_KEY_REMOVED, type RedactOptions } from "./redact-text.ts";
export { redactExchange } from "./redact-exchange.ts";
