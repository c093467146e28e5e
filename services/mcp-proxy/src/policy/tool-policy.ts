/**
 * Which tools a caller may see and call. A key may carry allow patterns over exposed names (`github__*`); a denied
 * tool is absent from lists and refused on call, with the same decision in both places.
 */
import type { ApiKeyInfo } from "@thinkwatch/proto";
import { matchesPattern } from "../catalog/names.js";

export interface ToolPolicy {
  allows(exposedName: string): boolean;
}

export function toolPolicyOf(key: ApiKeyInfo): ToolPolicy {
  const patterns = key.allowedMcpTools ?? null;
  if (patterns === null) return { allows: () => true };
  return { allows: (name) => patterns.some((pattern) => matchesPattern(pattern, name)) };
}
