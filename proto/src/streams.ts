/** JetStream streams and KV buckets, by logical name (a deployment namespace may prefix the real names). */
export const STREAMS = {
  audit: { name: "AUDIT", subjects: ["audit.v1.evt.>"] },
  /** Messages consumers gave up on, with the reason (see dead-letter.ts). */
  deadLetter: { name: "DEADLETTER", subjects: ["deadletter.v1.>"], maxAgeDays: 30 },
} as const;

export const KV_BUCKETS = {
  config: "config",
  /** Per-channel delivery counters of each forwarder instance (`<channel id>.<instance id>`), summed by admin-api. */
  forwarderStats: "forwarder_stats",
} as const;

/** Durable consumer names, one per reading concern; replicas of a service share its consumer. */
export const CONSUMERS = {
  auditIngestGateway: "audit-ingest-gateway",
  /** audit-ingest's one consumer of every AUDIT subject (gateway, MCP, audit records), routed to tables by subject. */
  auditIngest: "audit-ingest",
  /** quota's post-flight accounting of gateway requests. */
  quotaUsage: "quota-usage",
  forwarderChannel: (channelId: string) => `forwarder-${channelId}`,
} as const;

/**
 * Set on a JetStream message that carries several events of its subject (a JSON array, count in the header value);
 * a message without it carries one event. Edges batch their gateway events this way; every consumer unpacks both.
 */
export const EVENT_BATCH_HEADER = "Tw-Event-Batch";
