/** HTTP webhook channel: POST one JSON document per event; any 2xx is delivery, anything else is retried. */
import type { LogChannel } from "@thinkwatch/proto";
import { Pool } from "undici";
import * as v from "valibot";
import type { ChannelSink, ForwardedEvent } from "./channel-sink.js";

const WebhookSettingsSchema = v.object({ url: v.string(), headers: v.optional(v.record(v.string(), v.string()), {}) });

export function createWebhookSink(channel: LogChannel, timeoutMs: number): ChannelSink {
  const settings = v.parse(WebhookSettingsSchema, channel.settings);
  const url = new URL(settings.url);
  const pool = new Pool(url.origin, { connections: 4, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    async deliver(event: ForwardedEvent) {
      const response = await pool.request({
        method: "POST",
        path: url.pathname + url.search,
        headers: {
          ...settings.headers,
          "content-type": "application/json",
          "user-agent": "ThinkWatch-Forwarder/1",
          "x-thinkwatch-event-id": event.eventId,
          "x-thinkwatch-event-type": event.type,
        },
        body: JSON.stringify({ type: event.type, eventId: event.eventId, event: event.payload }),
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw new Error(`webhook ${channel.name} answered HTTP ${response.statusCode}`);
      }
    },
    close: () => pool.close(),
  };
}
