/**
 * HTTP webhook channel: POST one JSON document per event, signed with HMAC-SHA256 when the channel has a secret,
 * with the channel's custom headers. 2xx is delivery; 408, 429 and 5xx (and network errors) are retried with
 * backoff by the consumer; any other 4xx means the receiver will never take this event: dead letter.
 */
import { AppError } from "@thinkwatch/errors";
import { type LogChannel, WebhookChannelSettingsSchema } from "@thinkwatch/proto";
import { Pool } from "undici";
import * as v from "valibot";
import type { ChannelSink, ForwardedEvent } from "../channels/channel-sink.js";
import { SIGNATURE_HEADER, signWebhookBody } from "./webhook-signature.js";

const RETRYABLE_4XX = new Set([408, 425, 429]);

export function createWebhookSink(channel: LogChannel, timeoutMs: number, decrypt: (ciphertext: string) => string): ChannelSink {
  const settings = v.parse(WebhookChannelSettingsSchema, channel.settings);
  const secret = settings.secretEncrypted ? decrypt(settings.secretEncrypted) : null;
  const url = new URL(settings.url);
  const pool = new Pool(url.origin, { connections: 4, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    async deliver(event: ForwardedEvent) {
      const body = JSON.stringify({ type: event.type, kind: event.kind, eventId: event.eventId, event: event.payload });
      const response = await pool.request({
        method: "POST",
        path: url.pathname + url.search,
        headers: {
          ...settings.headers,
          "content-type": "application/json",
          "user-agent": "ThinkWatch-Forwarder/1",
          "x-thinkwatch-event-id": event.eventId,
          "x-thinkwatch-event-type": event.type,
          ...(secret === null ? {} : { [SIGNATURE_HEADER]: signWebhookBody(secret, body) }),
        },
        body,
      });
      await response.body.dump();
      const status = response.statusCode;
      if (status >= 200 && status < 300) return;
      const message = `webhook ${channel.name} answered HTTP ${status}`;
      if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) {
        throw new AppError("bad_request", message, { retryable: false });
      }
      throw new AppError("unavailable", message, { retryable: true });
    },
    close: () => pool.close(),
  };
}
