/** The transport for a channel's kind. */
import type { LogChannel } from "@thinkwatch/proto";
import { createKafkaSink } from "../kafka/kafka-sink.js";
import { createSyslogSink } from "../syslog/syslog-sink.js";
import { createWebhookSink } from "../webhook/webhook-sink.js";
import type { ChannelSink } from "./channel-sink.js";

export interface SinkOptions {
  timeoutMs: number;
  decrypt(ciphertext: string): string;
}

export function createSink(channel: LogChannel, options: SinkOptions): ChannelSink {
  switch (channel.kind) {
    case "webhook":
      return createWebhookSink(channel, options.timeoutMs, options.decrypt);
    case "syslog":
      return createSyslogSink(channel, options.timeoutMs);
    case "kafka":
      return createKafkaSink(channel, options.timeoutMs);
  }
}
