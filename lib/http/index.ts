export { createHttpClient, type HttpClientOptions } from "./create-http-client.ts";
export { EXCHANGE_BODY_LIMIT, type Exchange } from "./exchange.ts";
export type { FormValues, HttpClient, HttpRequest, HttpResponse } from "./types.ts";
export { redactExchange, redactJwt, redactText, MASK, PRIVATE_KEY_REMOVED, type RedactOptions } from "./redact.ts";
