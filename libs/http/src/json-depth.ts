/**
 * Nesting depth of a parsed JSON value. Deeply nested input parses fine (V8's JSON.parse is iterative) but overflows
 * the stack of every recursive walk after it (schema validation, conversion, JSON.stringify), which would surface as
 * a 500; refusing it up front turns that into a clear 400. Walked with an explicit stack over containers only, so a
 * large body of long strings costs little (strings dominate request bodies, and are not visited).
 */
export const MAX_JSON_DEPTH = 128;

/** True when arrays and objects nest deeper than `limit`. */
export function exceedsJsonDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  if (typeof value !== "object" || value === null) return false;
  // Two parallel stacks (node, its depth) rather than one of small objects: no allocation per container.
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) return true;
    if (Array.isArray(node)) {
      for (const child of node) {
        if (typeof child === "object" && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in node) {
        const child = (node as Record<string, unknown>)[key];
        if (typeof child === "object" && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}
