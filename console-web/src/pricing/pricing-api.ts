/** /api/admin/model-pricing and /api/admin/models/{model}/pricing: prices and quota multipliers per model. */
import type { ModelPricing, ModelPricingBody } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { ModelPricing, ModelPricingBody } from "@thinkwatch/console-api";

export async function listModelPricing(api: ApiClient): Promise<ModelPricing[]> {
  return (await api.get<{ models: ModelPricing[] }>("/api/admin/model-pricing")).models;
}

export async function setModelPricing(api: ApiClient, model: string, body: ModelPricingBody): Promise<ModelPricing> {
  return (await api.put<{ pricing: ModelPricing }>(`/api/admin/models/${encodeURIComponent(model)}/pricing`, body)).pricing;
}
