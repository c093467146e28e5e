/** JetStream streams and KV buckets, by logical name (a deployment namespace may prefix the real names). */
export const STREAMS = {
  audit: { name: "AUDIT", subjects: ["audit.v1.evt.>"] },
} as const;

export const KV_BUCKETS = {
  config: "config",
} as const;

/** Durable consumer names, one per reading concern; replicas of a service share its consumer. */
export const CONSUMERS = {
  auditIngestGateway: "audit-ingest-gateway",
  /** quota's post-flight accounting of gateway requests. */
  quotaUsage: "quota-usage",
  forwarderChannel: (channelId: string) => `forwarder-${channelId}`,
} as const;
