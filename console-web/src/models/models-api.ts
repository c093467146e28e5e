/** /api/admin/models: models, their routes and each route's live breaker state. */
import type { ModelRouteInput, ModelView } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { ModelRouteView, ModelView, RouteHealthView } from "@thinkwatch/console-api";

/** What the console sends: the API's route input, with defaults left to the server. */
export type RouteRequest = Partial<ModelRouteInput> & { providerId: string };

export async function listModels(api: ApiClient): Promise<ModelView[]> {
  return (await api.get<{ models: ModelView[] }>("/api/admin/models")).models;
}

export async function createModel(api: ApiClient, body: { model: string; routes: RouteRequest[] }): Promise<ModelView> {
  return (await api.post<{ model: ModelView }>("/api/admin/models", body)).model;
}

export async function updateModel(
  api: ApiClient,
  id: string,
  body: { routes?: RouteRequest[]; isActive?: boolean },
): Promise<ModelView> {
  return (await api.patch<{ model: ModelView }>(`/api/admin/models/${encodeURIComponent(id)}`, body)).model;
}

export async function deleteModel(api: ApiClient, id: string): Promise<void> {
  await api.delete(`/api/admin/models/${encodeURIComponent(id)}`);
}
