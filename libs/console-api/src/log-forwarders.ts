/** /api/admin/log-forwarders: SIEM delivery channels (syslog, Kafka, webhook) — create, update, toggle, test, stats. */
import {
  EventKindSchema,
  KafkaChannelSettingsSchema,
  SyslogChannelSettingsSchema,
  WebhookChannelSettingsSchema,
} from "@thinkwatch/proto";
import * as v from "valibot";

const Name = v.pipe(v.string(), v.trim(), v.minLength(1, "name is required"), v.maxLength(100));
const EventKinds = v.optional(v.array(EventKindSchema), []);

/** Webhook settings as the console sends them: the signing secret in plain text (stored encrypted, never shown). */
export const WebhookSettingsInputSchema = v.object({
  url: WebhookChannelSettingsSchema.entries.url,
  headers: WebhookChannelSettingsSchema.entries.headers,
  secret: v.optional(v.nullable(v.pipe(v.string(), v.minLength(16, "secret must be at least 16 characters"), v.maxLength(512)))),
});

export const CreateLogForwarderSchema = v.variant("kind", [
  v.object({
    name: Name,
    kind: v.literal("webhook"),
    settings: WebhookSettingsInputSchema,
    eventKinds: EventKinds,
    enabled: v.optional(v.boolean(), true),
  }),
  v.object({
    name: Name,
    kind: v.literal("syslog"),
    settings: SyslogChannelSettingsSchema,
    eventKinds: EventKinds,
    enabled: v.optional(v.boolean(), true),
  }),
  v.object({
    name: Name,
    kind: v.literal("kafka"),
    settings: KafkaChannelSettingsSchema,
    eventKinds: EventKinds,
    enabled: v.optional(v.boolean(), true),
  }),
]);
export type CreateLogForwarder = v.InferOutput<typeof CreateLogForwarderSchema>;

/** Fields to change; `settings` is checked against the channel's kind (a kind never changes). */
export const UpdateLogForwarderSchema = v.object({
  name: v.optional(Name),
  settings: v.optional(v.record(v.string(), v.unknown())),
  eventKinds: v.optional(v.array(EventKindSchema)),
  enabled: v.optional(v.boolean()),
});
export type UpdateLogForwarder = v.InferOutput<typeof UpdateLogForwarderSchema>;

export const ToggleLogForwarderSchema = v.object({ enabled: v.boolean() });

export const LogForwarderViewSchema = v.object({
  id: v.string(),
  name: v.string(),
  kind: v.picklist(["webhook", "syslog", "kafka"]),
  enabled: v.boolean(),
  createdAt: v.number(),
  eventKinds: v.array(v.string()),
  /** The channel's settings without secrets. */
  settings: v.record(v.string(), v.unknown()),
  hasSecret: v.boolean(),
});
export type LogForwarderView = v.InferOutput<typeof LogForwarderViewSchema>;

export const LogForwarderStatsSchema = v.object({
  sent: v.number(),
  failed: v.number(),
  deadLettered: v.number(),
  /** Events stored that this channel has not been sent yet (the consumer's pending + unacknowledged). */
  lag: v.number(),
  lastDeliveredAt: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
});
export type LogForwarderStats = v.InferOutput<typeof LogForwarderStatsSchema>;

export const LogForwarderTestResultSchema = v.object({ ok: v.boolean(), latencyMs: v.number(), error: v.nullable(v.string()) });
export type LogForwarderTestResult = v.InferOutput<typeof LogForwarderTestResultSchema>;

export const LogForwarderListResponseSchema = v.object({ forwarders: v.array(LogForwarderViewSchema) });
export const LogForwarderResponseSchema = v.object({ forwarder: LogForwarderViewSchema });
