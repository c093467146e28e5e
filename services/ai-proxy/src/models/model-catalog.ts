/**
 * The upstreams' own model lists, cached per provider. The first ask waits for the upstream (bounded by a timeout);
 * after that the cached list is served at once and refreshed in the background when older than the TTL. A failing
 * upstream leaves its list empty (registered models are still listed) and is asked again after a short pause.
 */
import type { Logger } from "@thinkwatch/log";
import type { ResolvedProvider } from "../routing/model-router.js";
import type { UpstreamHttp } from "../upstream/upstream-http.js";
import { MODEL_LISTS } from "./upstream-model-lists.js";

export interface ModelCatalog {
  /** Each listable provider's model names (providers without a list are left out). */
  lists(providers: readonly ResolvedProvider[]): Promise<Map<string, readonly string[]>>;
}

export interface ModelCatalogOptions {
  ttlMs: number;
  /** How long a failed fetch is remembered before the upstream is asked again. */
  retryMs: number;
  timeoutMs: number;
  /** The clock the TTLs are measured on (tests move it by hand). */
  now?: () => number;
}

interface Entry {
  /** Identifies the provider configuration the list was fetched with; a changed provider is fetched afresh. */
  version: string;
  names: readonly string[];
  expiresAt: number;
  refreshing?: Promise<void>;
}

export function createModelCatalog(upstream: UpstreamHttp, log: Logger, options: ModelCatalogOptions): ModelCatalog {
  const entries = new Map<string, Entry>();
  const now = options.now ?? Date.now;

  const fetchList = async (provider: ResolvedProvider, version: string): Promise<void> => {
    const spec = MODEL_LISTS[provider.kind];
    if (spec === undefined) return;
    let names: readonly string[] = entries.get(provider.id)?.names ?? [];
    let ttl = options.ttlMs;
    try {
      const response = await upstream.send({ ...spec.request(provider), signal: AbortSignal.timeout(options.timeoutMs) });
      const text = await response.body.text();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      names = spec.parse(JSON.parse(text));
    } catch (caught) {
      ttl = options.retryMs;
      log.warn({ err: caught, provider: provider.name }, "could not list the upstream's models");
    }
    entries.set(provider.id, { version, names, expiresAt: now() + ttl });
  };

  return {
    async lists(providers) {
      const out = new Map<string, readonly string[]>();
      const waits: Array<Promise<void>> = [];
      for (const provider of providers) {
        if (MODEL_LISTS[provider.kind] === undefined) continue;
        const version = `${provider.baseUrl}|${provider.apiKeyEncrypted ?? ""}`;
        const entry = entries.get(provider.id);
        if (entry === undefined || entry.version !== version) {
          waits.push(fetchList(provider, version));
        } else if (entry.expiresAt <= now() && entry.refreshing === undefined) {
          entry.refreshing = fetchList(provider, version);
        }
      }
      await Promise.all(waits);
      for (const provider of providers) {
        const entry = entries.get(provider.id);
        if (entry !== undefined) out.set(provider.id, entry.names);
      }
      return out;
    },
  };
}
