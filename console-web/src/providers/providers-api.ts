/** /api/admin/providers: the upstream AI providers and the models routed to them. */
import type { CreateProviderRequest, Provider } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { CreateProviderRequest, Provider, ProviderKind, ProviderModel } from "@thinkwatch/console-api";

export async function listProviders(api: ApiClient): Promise<Provider[]> {
  return (await api.get<{ providers: Provider[] }>("/api/admin/providers")).providers;
}

export async function createProvider(api: ApiClient, body: CreateProviderRequest): Promise<Provider> {
  return (await api.post<{ provider: Provider }>("/api/admin/providers", body)).provider;
}
