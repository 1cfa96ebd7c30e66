/**
 * A value for a finding's message: JSON, shortened to `max` characters; `absent` for undefined.
 *
 * @example
 * ```ts
 * show("RS256")      // "\"RS256\""
 * show(undefined)    // "absent"
 * ```
 */
export function show(value: unknown, max = 120): string {
  const text = value === undefined ? "absent" : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
