/**
 * Log forwarding channels: the kind-specific settings of each transport (validated by admin-api on the way in and
 * by the forwarder on the way out), the event kinds a channel can filter on, the delivery counters, and the
 * forwarder's test endpoint.
 */
import * as v from "valibot";
import { AUDIT_SUBJECT_ROOT } from "./audit.js";
import { LogChannelSchema } from "./config-kv.js";
import { requestContract } from "./contract.js";

/** What a channel can filter on: gateway requests, MCP tool calls, and each audit record category. */
export const EVENT_KINDS = [
  "gateway",
  "mcp",
  "auth",
  "admin",
  "api_key",
  "budget",
  "circuit_breaker",
  "console_access",
  "platform",
] as const;
export const EventKindSchema = v.picklist(EVENT_KINDS);
export type EventKind = v.InferOutput<typeof EventKindSchema>;

/** The kind of an AUDIT event from its subject (without namespace) and payload. */
export function eventKindOf(subject: string, payload: Readonly<Record<string, unknown>>): string {
  const type = subject.startsWith(`${AUDIT_SUBJECT_ROOT}.`) ? subject.slice(AUDIT_SUBJECT_ROOT.length + 1) : subject;
  if (type.startsWith("gateway_request.")) return "gateway";
  if (type.startsWith("mcp_tool_call.")) return "mcp";
  return typeof payload.category === "string" ? payload.category : "unknown";
}

const Host = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(255), v.regex(/^[A-Za-z0-9.:_-]+$/, "invalid host"));
const Port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_535));
const HeaderName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "invalid header name"));
const HeaderValue = v.pipe(
  v.string(),
  v.maxLength(4096),
  // biome-ignore lint/suspicious/noControlCharactersInRegex: header values must not carry control characters
  v.regex(/^[^\u0000-\u0008\u000a-\u001f\u007f]*$/, "header values cannot contain control characters"),
);

export const WebhookChannelSettingsSchema = v.object({
  url: v.pipe(v.string(), v.regex(/^https?:\/\/[^\s/$.?#][^\s]*$/i, "url must be an http(s) URL"), v.maxLength(2000)),
  headers: v.optional(v.record(HeaderName, HeaderValue), {}),
  /** HMAC-SHA256 signing secret, AES-256-GCM encrypted with the deployment key; null: deliveries are unsigned. */
  secretEncrypted: v.optional(v.nullable(v.string()), null),
});
export type WebhookChannelSettings = v.InferOutput<typeof WebhookChannelSettingsSchema>;

export const SyslogChannelSettingsSchema = v.object({
  host: Host,
  port: Port,
  /** udp (RFC 5426), tcp with octet counting (RFC 6587), tls (RFC 5425). */
  protocol: v.picklist(["udp", "tcp", "tls"]),
  /** RFC 5424 facility; 13 is "log audit". */
  facility: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(23)), 13),
  appName: v.optional(v.pipe(v.string(), v.regex(/^[!-~]{1,48}$/, "appName: 1-48 printable ASCII characters")), "thinkwatch"),
  /** TLS only: PEM CA bundle to trust instead of the system's; verification is never turned off. */
  tlsCa: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(100_000))), null),
});
export type SyslogChannelSettings = v.InferOutput<typeof SyslogChannelSettingsSchema>;

export const KafkaChannelSettingsSchema = v.object({
  /** Comma-separated bootstrap brokers, host:port. */
  brokers: v.pipe(v.string(), v.regex(/^[A-Za-z0-9.:_-]+(,[A-Za-z0-9.:_-]+)*$/, "brokers: host:port[,host:port…]")),
  topic: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,249}$/, "topic: 1-249 of A-Z a-z 0-9 . _ -")),
});
export type KafkaChannelSettings = v.InferOutput<typeof KafkaChannelSettingsSchema>;

/** Delivery counters one forwarder instance keeps for one channel (KV `forwarder_stats`). */
export const ChannelCountersSchema = v.object({
  sent: v.number(),
  failed: v.number(),
  deadLettered: v.number(),
  lastDeliveredAt: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  updatedAt: v.number(),
});
export type ChannelCounters = v.InferOutput<typeof ChannelCountersSchema>;

/**
 * Send one synthetic event through a channel's transport now and report the outcome (console's Test button). The
 * channel travels in the request, so a disabled or just-edited channel can be tried before it is switched on.
 */
export const ForwarderTestChannel = requestContract(
  "forwarder.v1.test_channel",
  v.object({ channel: LogChannelSchema }),
  v.object({ ok: v.boolean(), latencyMs: v.number(), error: v.nullable(v.string()) }),
);
