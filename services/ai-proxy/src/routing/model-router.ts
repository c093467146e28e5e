/**
 * Model → routes resolution over the routing table admin-api publishes. A registered model has its routes (provider,
 * upstream name, weight, priority, caps); other names route by default prefix to the first active provider of the
 * matching kind, as one route (Azure and Bedrock need explicit registration, as do OpenAI-compatible endpoints).
 */
import type { Keyring } from "@thinkwatch/crypto";
import type { ProviderKind, RoutedProvider, RoutingTable } from "@thinkwatch/proto";

export interface ResolvedProvider extends RoutedProvider {
  /** Decrypted once when the table loads; null when the provider needs no key. */
  apiKey: string | null;
}

/** One way to serve the requested model. */
export interface Route {
  /** Breakers and caps are keyed by it; prefix routes get `prefix:<providerId>`. */
  id: string;
  provider: ResolvedProvider;
  /** The name the client asked for. */
  model: string;
  /** The name sent upstream. */
  upstreamModel: string;
  weight: number;
  priority: number;
  rpmLimit: number | null;
  tpmLimit: number | null;
  /** A model registered by an admin (its name is a bounded metrics label); absent for prefix routes. */
  registered?: true;
}

/** Every route of a model, best priority first (selection among them happens per request). */
export interface ModelRoutes {
  model: string;
  routes: Route[];
}

const DEFAULT_PREFIXES: Array<{ prefix: string; kind: ProviderKind }> = [
  { prefix: "gpt-", kind: "openai" },
  { prefix: "o1", kind: "openai" },
  { prefix: "o3", kind: "openai" },
  { prefix: "o4", kind: "openai" },
  { prefix: "chatgpt-", kind: "openai" },
  { prefix: "text-embedding-", kind: "openai" },
  { prefix: "claude-", kind: "anthropic" },
  { prefix: "gemini-", kind: "gemini" },
  { prefix: "text-embedding-004", kind: "gemini" },
];

export interface DegradedProvider {
  id: string;
  name: string;
  reason: string;
}

export interface ModelRouter {
  resolve(model: string): ModelRoutes | null;
  /**
   * Why a model that resolves to nothing is unavailable: the secrets of its routes' providers cannot be decrypted
   * (the first such provider; routes to providers that can be read still serve).
   */
  degradedProviderOf(model: string): DegradedProvider | null;
  degradedProviders(): DegradedProvider[];
  /** Every model name a request could name right now: registered ones (prefix routes are open-ended). */
  registeredModels(): Array<{ model: string; provider: ResolvedProvider }>;
  /** Every provider whose secret could be read. */
  providers(): ResolvedProvider[];
  providerCount(): number;
  revision(): number;
}

/** Decrypt a provider's secrets once; secret headers join `settings.headers`, where the endpoint builders read them. */
function resolveSecrets(provider: RoutedProvider, keyring: Keyring): ResolvedProvider {
  const apiKey = provider.apiKeyEncrypted === null ? null : keyring.decrypt(provider.apiKeyEncrypted);
  if (provider.secretHeadersEncrypted === null) return { ...provider, apiKey };
  const secret = JSON.parse(keyring.decrypt(provider.secretHeadersEncrypted)) as Record<string, string>;
  const plain =
    typeof provider.settings.headers === "object" && provider.settings.headers !== null ? provider.settings.headers : {};
  return { ...provider, apiKey, settings: { ...provider.settings, headers: { ...plain, ...secret } } };
}

export function createModelRouter(
  table: RoutingTable,
  keyring: Keyring,
  onSecretError: (provider: DegradedProvider, error: unknown) => void,
): ModelRouter {
  const providers = new Map<string, ResolvedProvider>();
  const degraded = new Map<string, DegradedProvider>();
  for (const provider of table.providers) {
    try {
      providers.set(provider.id, resolveSecrets(provider, keyring));
    } catch (caught) {
      // Kept visible (degradedProviderOf) so its models answer "unavailable: <reason>", not "no such model".
      const entry = { id: provider.id, name: provider.name, reason: `cannot decrypt its secrets: ${(caught as Error).message}` };
      degraded.set(provider.id, entry);
      onSecretError(entry, caught);
    }
  }
  const explicit = new Map<string, ModelRoutes>();
  const degradedModels = new Map<string, DegradedProvider>();
  for (const entry of table.models) {
    const routes: Route[] = [];
    for (const route of entry.routes) {
      const provider = providers.get(route.providerId);
      if (provider === undefined) {
        const broken = degraded.get(route.providerId);
        if (broken !== undefined && !degradedModels.has(entry.model)) degradedModels.set(entry.model, broken);
        continue;
      }
      routes.push({ ...route, provider, model: entry.model, registered: true });
    }
    // Stable: equal priorities keep the admin's order.
    routes.sort((a, b) => a.priority - b.priority);
    if (routes.length > 0) explicit.set(entry.model, { model: entry.model, routes });
  }
  const firstOfKind = new Map<ProviderKind, ResolvedProvider>();
  for (const provider of providers.values()) if (!firstOfKind.has(provider.kind)) firstOfKind.set(provider.kind, provider);

  return {
    resolve(model) {
      const registered = explicit.get(model);
      if (registered !== undefined) return registered;
      let best: { prefix: string; provider: ResolvedProvider } | undefined;
      for (const { prefix, kind } of DEFAULT_PREFIXES) {
        const provider = firstOfKind.get(kind);
        if (provider !== undefined && model.startsWith(prefix) && (best === undefined || prefix.length > best.prefix.length)) {
          best = { prefix, provider };
        }
      }
      if (best === undefined) return null;
      const route: Route = {
        id: `prefix:${best.provider.id}`,
        provider: best.provider,
        model,
        upstreamModel: model,
        weight: 1,
        priority: 0,
        rpmLimit: null,
        tpmLimit: null,
      };
      return { model, routes: [route] };
    },
    degradedProviderOf: (model) => (explicit.has(model) ? null : (degradedModels.get(model) ?? null)),
    degradedProviders: () => [...degraded.values()],
    registeredModels: () =>
      [...explicit.values()].map((entry) => ({ model: entry.model, provider: (entry.routes[0] as Route).provider })),
    providers: () => [...providers.values()],
    providerCount: () => providers.size,
    revision: () => table.revision,
  };
}
