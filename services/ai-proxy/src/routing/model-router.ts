/**
 * Model → provider resolution over the routing table admin-api publishes. An explicitly registered model wins; other
 * names route by default prefix to the first active provider of the matching kind (Azure and Bedrock need explicit
 * registration, as do OpenAI-compatible endpoints).
 */
import type { Keyring } from "@thinkwatch/crypto";
import type { ProviderKind, RoutedProvider, RoutingTable } from "@thinkwatch/proto";

export interface ResolvedProvider extends RoutedProvider {
  /** Decrypted once when the table loads; null when the provider needs no key. */
  apiKey: string | null;
}

export interface Route {
  provider: ResolvedProvider;
  /** The name the client asked for. */
  model: string;
  /** The name sent upstream. */
  upstreamModel: string;
  /** A model registered by an admin (its name is a bounded metrics label); absent for prefix routes. */
  registered?: true;
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
  resolve(model: string): Route | null;
  /** Why a model that resolves to nothing is unavailable: its registered provider's secret cannot be decrypted. */
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
  const explicit = new Map<string, Route>();
  const degradedModels = new Map<string, DegradedProvider>();
  for (const entry of table.models) {
    const provider = providers.get(entry.providerId);
    if (provider !== undefined)
      explicit.set(entry.model, { provider, model: entry.model, upstreamModel: entry.upstreamModel, registered: true });
    const broken = degraded.get(entry.providerId);
    if (broken !== undefined) degradedModels.set(entry.model, broken);
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
      return best === undefined ? null : { provider: best.provider, model, upstreamModel: model };
    },
    degradedProviderOf: (model) => degradedModels.get(model) ?? null,
    degradedProviders: () => [...degraded.values()],
    registeredModels: () => [...explicit.values()].map((route) => ({ model: route.model, provider: route.provider })),
    providers: () => [...providers.values()],
    providerCount: () => providers.size,
    revision: () => table.revision,
  };
}
