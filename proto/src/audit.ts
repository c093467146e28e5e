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
});
export type GatewayRequestEvent = v.InferOutput<typeof GatewayRequestEventSchema>;

export const GatewayRequestCompleted = eventContract("audit.v1.evt.gateway_request.completed", GatewayRequestEventSchema);

/** Every subject on the AUDIT stream starts with this. */
export const AUDIT_SUBJECT_ROOT = "audit.v1.evt";
