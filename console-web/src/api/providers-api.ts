/** /api/admin/providers: the upstream AI providers and the models routed to them (admin role). */
import type { ApiClient } from "./api-client";

export type ProviderKind = "openai" | "anthropic" | "gemini" | "azure_openai" | "bedrock" | "openai_compatible";

export interface ProviderModel {
  id: string;
  model: string;
  providerId: string;
  upstreamModel: string;
  isActive: boolean;
}

export interface Provider {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  hasApiKey: boolean;
  settings: Record<string, unknown>;
  isActive: boolean;
  /** ISO timestamp. */
  createdAt: string;
  models: ProviderModel[];
}

export interface CreateProviderRequest {
  name: string;
  kind: ProviderKind;
  baseUrl?: string;
  apiKey?: string;
  settings?: Record<string, string>;
  models?: { model: string; upstreamModel?: string }[];
}

export async function listProviders(api: ApiClient): Promise<Provider[]> {
  return (await api.get<{ providers: Provider[] }>("/api/admin/providers")).providers;
}

export async function createProvider(api: ApiClient, body: CreateProviderRequest): Promise<Provider> {
  return (await api.post<{ provider: Provider }>("/api/admin/providers", body)).provider;
}
