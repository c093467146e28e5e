/** Events on the AUDIT stream. Subjects: `audit.v1.evt.<entity>.<past-tense verb>`. */
import * as v from "valibot";
import { eventContract } from "./contract.js";

export const InboundApiSchema = v.picklist([
  "openai_chat",
  "anthropic_messages",
  "openai_responses",
  "gemini",
  "openai_embeddings",
]);
export type InboundApi = v.InferOutput<typeof InboundApiSchema>;

const Uuid = v.pipe(v.string(), v.uuid());
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const GatewayRequestEventSchema = v.object({
  /** Idempotency key end to end: the JetStream message id and the ClickHouse dedup key. */
  eventId: Uuid,
  occurredAt: v.number(),
  requestId: v.string(),
  apiKeyId: Uuid,
  userId: Uuid,
  teamId: v.nullable(Uuid),
  providerId: v.nullable(v.string()),
  providerKind: v.nullable(v.string()),
  inboundApi: InboundApiSchema,
  model: v.string(),
  upstreamModel: v.nullable(v.string()),
  stream: v.boolean(),
  statusCode: v.pipe(v.number(), v.integer()),
  errorCode: v.nullable(v.string()),
  inputTokens: Count,
  outputTokens: Count,
  cachedTokens: Count,
  reasoningTokens: Count,
  latencyMs: Count,
  timeToFirstTokenMs: v.nullable(Count),
  clientIp: v.nullable(v.string()),
  userAgent: v.nullable(v.string()),
  /** The key's lineage (stable across rotations); quota counts `api_key` subjects by it. */
  apiKeyLineageId: v.optional(v.nullable(v.string())),
  /** Raw tokens × the model's input / output multiplier: what token rules and token budgets count. */
  weightedInputTokens: v.optional(v.pipe(v.number(), v.minValue(0))),
  weightedOutputTokens: v.optional(v.pipe(v.number(), v.minValue(0))),
  /** Raw tokens × the model's prices (input, cached input, output per million), computed at request time. */
  costUsd: v.optional(v.pipe(v.number(), v.minValue(0))),
  /** The upstream reported no usage; the token counts are the gateway's estimate. */
  usageEstimated: v.optional(v.boolean()),
  /** W3C trace id (32 hex) of the request's trace when tracing is on and it was sampled; absent or null otherwise. */
  traceId: v.optional(v.nullable(v.string())),
});
export type GatewayRequestEvent = v.InferOutput<typeof GatewayRequestEventSchema>;

export const GatewayRequestCompleted = eventContract("audit.v1.evt.gateway_request.completed", GatewayRequestEventSchema);

/** Every subject on the AUDIT stream starts with this. */
export const AUDIT_SUBJECT_ROOT = "audit.v1.evt";

/**
 * Everything on the AUDIT stream that is not a gateway request: auth events, admin changes, key lifecycle, budget
 * alerts, circuit-breaker transitions, platform events. One shape for all of them so audit-ingest writes one table
 * (`audit_logs`) and the SIEM channels get one record format; `category` + `action` say what happened.
 */
export const AuditCategorySchema = v.picklist([
  "auth",
  "admin",
  "api_key",
  "budget",
  "circuit_breaker",
  "console_access",
  "platform",
]);
export type AuditCategory = v.InferOutput<typeof AuditCategorySchema>;

const ShortText = v.pipe(v.string(), v.maxLength(1000));

export const AuditActorSchema = v.object({
  /** `user` (a console user), `api_key` (a gateway caller), `system` (a background job), `anonymous`. */
  kind: v.picklist(["user", "api_key", "system", "anonymous"]),
  id: v.nullable(ShortText),
  /** Email of a user, name of a key or job; for humans reading the log. */
  name: v.nullable(ShortText),
  ip: v.nullable(ShortText),
  userAgent: v.nullable(ShortText),
});
export type AuditActor = v.InferOutput<typeof AuditActorSchema>;

export const AuditRecordSchema = v.object({
  eventId: Uuid,
  occurredAt: v.number(),
  /** W3C trace id (32 hex) when the event happened inside a traced request; null otherwise. */
  traceId: v.nullable(v.string()),
  requestId: v.nullable(v.string()),
  category: AuditCategorySchema,
  /** `<entity>.<past-tense verb>`, e.g. `user.deactivated`, `login.failed`, `key.rotated`, `budget.threshold_crossed`. */
  action: v.pipe(v.string(), v.regex(/^[a-z_]+\.[a-z_]+$/, "action must be <entity>.<verb>")),
  actor: AuditActorSchema,
  /** What was acted on. */
  target: v.nullable(v.object({ kind: ShortText, id: v.nullable(ShortText), name: v.nullable(ShortText) })),
  outcome: v.picklist(["success", "failure", "denied"]),
  /** Team the event belongs to, for team-scoped visibility. */
  teamId: v.nullable(v.string()),
  /** Free-form facts (never a secret): rule labels, thresholds, reasons. */
  details: v.record(v.string(), v.unknown()),
  /** Admin changes: the entity before and after (secrets masked). */
  before: v.nullable(v.unknown()),
  after: v.nullable(v.unknown()),
});
export type AuditRecord = v.InferOutput<typeof AuditRecordSchema>;

/** The contract of one kind of audit record: subject `audit.v1.evt.<entity>.<verb>` from the record's action. */
export function auditRecordContract(action: string) {
  return eventContract(`${AUDIT_SUBJECT_ROOT}.${action}`, AuditRecordSchema);
}
