/**
 * True for a JSON object: not null, not an array. The one such predicate of the harness (checks,
 * artefact parsers and the simulator share it).
 *
 * @example
 * ```ts
 * isObject({ a: 1 }) // true
 * isObject([1])      // false
 * ```
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
