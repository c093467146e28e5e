/** /api/admin/log-forwarders: audit delivery channels (webhook today). */
import { LogChannelSchema } from "@thinkwatch/proto";
import * as v from "valibot";

const WebhookSettingsSchema = v.object({
  url: v.pipe(
    v.string("settings.url is required"),
    v.check((u) => /^https?:\/\/\S+$/.test(u), "settings.url must be an http(s) URL"),
  ),
  headers: v.optional(v.record(v.string(), v.string()), {}),
});

export const CreateLogForwarderRequestSchema = v.variant("kind", [
  v.object({
    name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
    kind: v.literal("webhook"),
    settings: WebhookSettingsSchema,
    enabled: v.optional(v.boolean(), true),
  }),
]);
export type CreateLogForwarderRequest = v.InferInput<typeof CreateLogForwarderRequestSchema>;

export const LogForwarderSchema = LogChannelSchema;
export type LogForwarder = v.InferOutput<typeof LogForwarderSchema>;

export const LogForwarderListResponseSchema = v.object({ forwarders: v.array(LogForwarderSchema) });
export const LogForwarderResponseSchema = v.object({ forwarder: LogForwarderSchema });
