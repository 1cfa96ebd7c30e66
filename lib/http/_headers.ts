/** Private: redaction rules for individual header values. */
import { isCompactJws } from "./_jwt.ts";
import { redactJwt } from "./redact-jwt.ts";
import { MASK, redactText, type RedactOptions } from "./redact-text.ts";

function redactAuthorization(value: string, includeTokens: boolean): string {
  const match = /^(\S+)\s+(.*)$/s.exec(value.trim());
  if (!match) return MASK;
  const [, scheme, credentials] = match as unknown as [string, string, string];
  if (/^(bearer|dpop)$/i.test(scheme)) {
    if (includeTokens) return value;
    return `${scheme} ${isCompactJws(credentials) ? redactJwt(credentials) : MASK}`;
  }
  return `${scheme} ${MASK}`;
}

/** `a=1; b=2` → `a=[redacted]; b=[redacted]`. */
function redactCookie(value: string): string {
  return value.replace(/(^|;\s*)([^=;\s]+)=[^;]*/g, `$1$2=${MASK}`);
}

/** Each `name=value; Attr=...` line keeps its attributes and loses its value. */
function redactSetCookie(value: string): string {
  return value
    .split("\n")
    .map((line) => line.replace(/^(\s*[^=;\s]+)=[^;]*/, `$1=${MASK}`))
    .join("\n");
}

export function redactHeaderValue(name: string, value: string, options: RedactOptions): string {
  switch (name.toLowerCase()) {
    case "authorization":
    case "proxy-authorization":
      return redactAuthorization(value, options.includeTokens === true);
    case "cookie":
      return redactCookie(value);
    case "set-cookie":
      return redactSetCookie(value);
    default:
      return redactText(value, options);
  }
}
