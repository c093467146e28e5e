/**
 * Which tools a caller may see and call: the key's own allow patterns over exposed names (`github__*`) intersected
 * with the tools granted to the key's user through their roles, teams and own grants (tool RBAC, enforced once any
 * grant exists; keys of service accounts answer to their key patterns alone). A denied tool is absent from lists
 * and refused on call, with the same decision in both places; grants are read at each decision, so a change
 * applies to open sessions at once.
 */
import type { ApiKeyInfo } from "@thinkwatch/proto";
import { matchesPattern } from "../catalog/names.js";
import { NO_GRANTS, type ToolGrants } from "./tool-grants-watch.js";

export interface ToolPolicy {
  allows(exposedName: string): boolean;
}

export function toolPolicyOf(key: ApiKeyInfo, grants: ToolGrants = NO_GRANTS): ToolPolicy {
  const patterns = key.allowedMcpTools ?? null;
  const keyAllows = (name: string) => patterns === null || patterns.some((pattern) => matchesPattern(pattern, name));
  const granted = (name: string) => {
    const model = grants.current();
    if (!model.enforced || key.ownerKind !== "user") return true;
    return (model.users[key.userId] ?? []).some((pattern) => matchesPattern(pattern, name));
  };
  return { allows: (name) => keyAllows(name) && granted(name) };
}
