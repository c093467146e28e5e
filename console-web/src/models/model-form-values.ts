/**
 * The model form's values (text inputs as typed) ↔ the API's request: an empty cap means "no cap", numbers are
 * checked here so the form can point at the field before anything is sent.
 */
import type { FieldErrors } from "../api/api-error";
import type { ModelView, RouteRequest } from "./models-api";

export interface RouteFormValues {
  providerId: string;
  upstreamModel: string;
  weight: string;
  priority: string;
  enabled: boolean;
  rpmLimit: string;
  tpmLimit: string;
}

export interface ModelFormValues {
  model: string;
  routes: RouteFormValues[];
}

export function emptyRoute(providerId = ""): RouteFormValues {
  return { providerId, upstreamModel: "", weight: "1", priority: "0", enabled: true, rpmLimit: "", tpmLimit: "" };
}

export function modelFormValues(model: ModelView): ModelFormValues {
  return {
    model: model.model,
    routes: model.routes.map((route) => ({
      providerId: route.providerId,
      upstreamModel: route.upstreamModel,
      weight: String(route.weight),
      priority: String(route.priority),
      enabled: route.enabled,
      rpmLimit: route.rpmLimit === null ? "" : String(route.rpmLimit),
      tpmLimit: route.tpmLimit === null ? "" : String(route.tpmLimit),
    })),
  };
}

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

export function modelFormProblems(values: ModelFormValues): FieldErrors {
  const problems: FieldErrors = {};
  if (values.model.trim() === "") problems.model = "Give the name clients will send.";
  if (values.routes.length === 0) problems.routes = "A model needs at least one route.";
  values.routes.forEach((route, index) => {
    const at = (field: string) => `routes.${index}.${field}`;
    if (route.providerId === "") problems[at("providerId")] = "Choose a provider.";
    const weight = whole(route.weight);
    if (!(weight >= 0 && weight <= 10_000)) problems[at("weight")] = "A whole number from 0 to 10000.";
    const priority = whole(route.priority);
    if (!(priority >= 0 && priority <= 100)) problems[at("priority")] = "A whole number from 0 to 100.";
    for (const cap of ["rpmLimit", "tpmLimit"] as const) {
      if (route[cap].trim() !== "" && !(whole(route[cap]) >= 1)) problems[at(cap)] = "Empty for no cap, or a whole number ≥ 1.";
    }
  });
  return problems;
}

export function routeRequests(values: ModelFormValues): RouteRequest[] {
  return values.routes.map((route) => ({
    providerId: route.providerId,
    ...(route.upstreamModel.trim() === "" ? {} : { upstreamModel: route.upstreamModel.trim() }),
    weight: whole(route.weight),
    priority: whole(route.priority),
    enabled: route.enabled,
    rpmLimit: route.rpmLimit.trim() === "" ? null : whole(route.rpmLimit),
    tpmLimit: route.tpmLimit.trim() === "" ? null : whole(route.tpmLimit),
  }));
}

/** A route's share of its priority group's traffic, in percent (enabled routes only). */
export function trafficShare(model: ModelView, routeId: string): number | null {
  const route = model.routes.find((r) => r.id === routeId);
  if (route === undefined || !route.enabled) return null;
  const group = model.routes.filter((r) => r.enabled && r.priority === route.priority);
  const total = group.reduce((sum, r) => sum + r.weight, 0);
  return total === 0 ? null : Math.round((route.weight / total) * 100);
}
