/**
 * Tool RBAC grants as admin-api compiles them into the config KV bucket: each user's granted tool patterns. Kept in
 * memory on every replica; listeners hear of a change so sessions can tell their clients the tool list changed.
 */
import type { ConfigStore } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { CONFIG_KEYS, type McpToolGrantsReadModel } from "@thinkwatch/proto";

export interface ToolGrants {
  current(): McpToolGrantsReadModel;
  onChange(listener: () => void): void;
}

export const NO_GRANTS: ToolGrants = {
  current: () => ({ revision: 0, enforced: false, users: {} }),
  onChange: () => undefined,
};

export async function watchToolGrants(store: ConfigStore, log: Logger): Promise<ToolGrants & { stop(): void }> {
  let current = NO_GRANTS.current();
  const listeners: Array<() => void> = [];
  const watcher = await store.watch(CONFIG_KEYS.mcpToolGrants, (model) => {
    current = model;
    log.info({ revision: model.revision, enforced: model.enforced }, "MCP tool grants loaded");
    for (const listener of listeners) listener();
  });
  return {
    current: () => current,
    onChange: (listener) => listeners.push(listener),
    stop: () => watcher.stop(),
  };
}
