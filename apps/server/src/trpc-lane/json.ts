import superjson from "superjson";

/**
 * JSON of a result as the router's transformer serializes it, for answers and SSE frames alike:
 * - a frozen value (a cached channel view, a chat event shared by every subscriber) is serialized
 *   once and remembered for as long as it lives;
 * - with superjson, a flat record of JSON-safe values is `{"json": value}` (no meta), so its walk
 *   is skipped.
 */
export function createResultJson(output: { serialize: (value: unknown) => unknown }): (data: unknown) => string {
  const flatJson = output === superjson;
  const serialized = new WeakMap<object, string>();
  return (data) => {
    const frozen = typeof data === "object" && data !== null && Object.isFrozen(data);
    let json = frozen ? serialized.get(data) : undefined;
    if (json === undefined) {
      json = flatJson && isFlatJsonRecord(data) ? `{"json":${JSON.stringify(data)}}` : JSON.stringify(output.serialize(data));
      if (frozen) serialized.set(data, json);
    }
    return json;
  };
}

/** Whether superjson would pass `value` through unchanged: a plain object of strings, booleans, null and finite numbers. */
export function isFlatJsonRecord(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") return false;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === "string" || typeof item === "boolean" || item === null) continue;
    if (typeof item === "number" && Number.isFinite(item) && !Object.is(item, -0)) continue;
    return false;
  }
  return true;
}
