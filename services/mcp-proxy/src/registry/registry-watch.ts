/**
 * The upstream MCP servers this replica may call, kept in step with the `mcp_servers` read-model in the config KV
 * bucket. Secrets (headers, environment) are decrypted once per revision; a server whose secrets cannot be
 * decrypted is kept out with an error line instead of being called without its credentials.
 */
import type { ConfigStore } from "@thinkwatch/bus";
import type { Keyring } from "@thinkwatch/crypto";
import type { Logger } from "@thinkwatch/log";
import { CONFIG_KEYS, type McpRegistry, type McpServerEntry } from "@thinkwatch/proto";

export interface UpstreamServer extends McpServerEntry {
  /** HTTP headers (streamable_http, sse) or extra environment (stdio), decrypted. */
  secrets: Record<string, string>;
}

export interface ServerRegistry {
  servers(): readonly UpstreamServer[];
  byId(id: string): UpstreamServer | undefined;
  byName(name: string): UpstreamServer | undefined;
  byPrefix(prefix: string): UpstreamServer | undefined;
  revision(): number;
  /** Called after a new revision loaded. */
  onChange(listener: (registry: ServerRegistry) => void): void;
}

export function decryptSecrets(entry: McpServerEntry, keyring: Keyring): Record<string, string> {
  if (entry.secretsEncrypted === null) return {};
  const parsed: unknown = JSON.parse(keyring.decrypt(entry.secretsEncrypted));
  if (typeof parsed !== "object" || parsed === null) throw new Error("secrets are not an object");
  return Object.fromEntries(Object.entries(parsed).filter((pair): pair is [string, string] => typeof pair[1] === "string"));
}

export function createServerRegistry(registry: McpRegistry, keyring: Keyring, log: Logger): Omit<ServerRegistry, "onChange"> {
  const loaded: UpstreamServer[] = [];
  for (const entry of registry.servers) {
    if (!entry.enabled) continue;
    try {
      loaded.push({ ...entry, secrets: decryptSecrets(entry, keyring) });
    } catch (caught) {
      log.error(
        { err: caught, server: entry.name },
        "cannot decrypt an MCP server's secrets (is ENCRYPTION_KEY right?); server skipped",
      );
    }
  }
  loaded.sort((a, b) => a.prefix.localeCompare(b.prefix));
  return {
    servers: () => loaded,
    byId: (id) => loaded.find((s) => s.id === id),
    byName: (name) => loaded.find((s) => s.name === name),
    byPrefix: (prefix) => loaded.find((s) => s.prefix === prefix),
    revision: () => registry.revision,
  };
}

export async function watchServerRegistry(
  store: ConfigStore,
  keyring: Keyring,
  log: Logger,
): Promise<ServerRegistry & { stop(): void }> {
  let current = createServerRegistry({ revision: 0, servers: [] }, keyring, log);
  const listeners: Array<(registry: ServerRegistry) => void> = [];
  const holder: ServerRegistry & { stop(): void } = {
    servers: () => current.servers(),
    byId: (id) => current.byId(id),
    byName: (name) => current.byName(name),
    byPrefix: (prefix) => current.byPrefix(prefix),
    revision: () => current.revision(),
    onChange: (listener) => listeners.push(listener),
    stop: () => watcher.stop(),
  };
  const watcher = await store.watch(CONFIG_KEYS.mcpServers, (registry) => {
    current = createServerRegistry(registry, keyring, log);
    log.info({ revision: registry.revision, servers: current.servers().length }, "MCP server registry loaded");
    for (const listener of listeners) listener(holder);
  });
  return holder;
}
