/**
 * /api/admin/models: a model clients call by name, served by one or more routes (provider + upstream name) with
 * weights, priorities, per-minute caps and, when listed, each route's live circuit-breaker state.
 */
import * as v from "valibot";

const Uuid = (what: string) => v.pipe(v.string(`${what} is required`), v.uuid(`${what} must be a UUID`));
const Name = (what: string) =>
  v.pipe(v.string(`${what} must be a string`), v.trim(), v.minLength(1, `${what} must not be empty`), v.maxLength(200));
const Int = (what: string, min: number, max: number) =>
  v.pipe(
    v.number(`${what} must be a number`),
    v.integer(`${what} must be a whole number`),
    v.minValue(min, `${what} must be at least ${min}`),
    v.maxValue(max, `${what} must be at most ${max}`),
  );

export const ModelRouteInputSchema = v.strictObject({
  providerId: Uuid("providerId"),
  /** Defaults to the model's name. */
  upstreamModel: v.optional(Name("upstreamModel")),
  weight: v.optional(Int("weight", 0, 10_000), 1),
  priority: v.optional(Int("priority", 0, 100), 0),
  enabled: v.optional(v.boolean("enabled must be true or false"), true),
  rpmLimit: v.optional(v.nullable(Int("rpmLimit", 1, 10_000_000)), null),
  tpmLimit: v.optional(v.nullable(Int("tpmLimit", 1, 1_000_000_000)), null),
});
export type ModelRouteInput = v.InferOutput<typeof ModelRouteInputSchema>;

const Routes = v.pipe(
  v.array(ModelRouteInputSchema, "routes must be a list"),
  v.minLength(1, "routes needs at least one route"),
  v.maxLength(32, "at most 32 routes per model"),
  v.check(
    (routes) => new Set(routes.map((r) => `${r.providerId} ${r.upstreamModel ?? ""}`)).size === routes.length,
    "routes must not name the same provider and upstream model twice",
  ),
);

/** Either the single-provider form (`providerId`, `upstreamModel`) or `routes`, not both. */
export const CreateModelSchema = v.pipe(
  v.strictObject({
    model: Name("model"),
    providerId: v.optional(Uuid("providerId")),
    upstreamModel: v.optional(Name("upstreamModel")),
    routes: v.optional(Routes),
  }),
  v.check(
    (input) => (input.routes === undefined) !== (input.providerId === undefined),
    "give either providerId (one route) or routes, not both",
  ),
  v.check((input) => input.routes === undefined || input.upstreamModel === undefined, "upstreamModel goes inside each route"),
);
export type CreateModelInput = v.InferOutput<typeof CreateModelSchema>;

export const UpdateModelSchema = v.pipe(
  v.strictObject({
    routes: v.optional(Routes),
    isActive: v.optional(v.boolean("isActive must be true or false")),
  }),
  v.check((input) => input.routes !== undefined || input.isActive !== undefined, "nothing to change: give routes or isActive"),
);
export type UpdateModelInput = v.InferOutput<typeof UpdateModelSchema>;

export const RouteHealthViewSchema = v.object({
  state: v.picklist(["closed", "open", "half_open", "unknown"]),
  failures: v.number(),
  requests: v.number(),
  openedAt: v.nullable(v.string()),
  requestsThisMinute: v.number(),
  tokensThisMinute: v.number(),
});
export type RouteHealthView = v.InferOutput<typeof RouteHealthViewSchema>;

export const ModelRouteViewSchema = v.object({
  id: v.string(),
  providerId: v.string(),
  providerName: v.nullable(v.string()),
  upstreamModel: v.string(),
  weight: v.number(),
  priority: v.number(),
  enabled: v.boolean(),
  rpmLimit: v.nullable(v.number()),
  tpmLimit: v.nullable(v.number()),
  /** Present in lists: the breaker as the ai-proxy replicas share it ("unknown" when no ai-proxy answered). */
  health: v.optional(RouteHealthViewSchema),
});
export type ModelRouteView = v.InferOutput<typeof ModelRouteViewSchema>;

export const ModelViewSchema = v.object({
  id: v.string(),
  model: v.string(),
  /** The first route's provider and upstream name (the single-provider form, kept for older clients). */
  providerId: v.string(),
  upstreamModel: v.string(),
  isActive: v.boolean(),
  routes: v.array(ModelRouteViewSchema),
});
export type ModelView = v.InferOutput<typeof ModelViewSchema>;

export const ModelListSchema = v.object({ models: v.array(ModelViewSchema) });
export type ModelList = v.InferOutput<typeof ModelListSchema>;
