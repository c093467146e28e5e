/** forwarder.v1.test_channel: send one synthetic event through a channel's transport now and report the outcome. */
import { randomUUID } from "node:crypto";
import type { Bus } from "@thinkwatch/bus";
import { type AuditRecord, ForwarderTestChannel } from "@thinkwatch/proto";
import type { ChannelSink, SinkFactory } from "../channels/channel-sink.js";
import { forwardedEvent } from "../channels/channel-supervisor.js";

export function serveTestChannel(bus: Bus, sinkFor: SinkFactory) {
  return bus.serve(ForwarderTestChannel, async ({ channel }) => {
    const record: AuditRecord = {
      eventId: randomUUID(),
      occurredAt: Date.now(),
      traceId: null,
      requestId: null,
      category: "platform",
      action: "log_forwarder.tested",
      actor: { kind: "system", id: null, name: "forwarder", ip: null, userAgent: null },
      target: { kind: "log_forwarder", id: channel.id, name: channel.name },
      outcome: "success",
      teamId: null,
      details: { test: true },
      before: null,
      after: null,
    };
    const started = Date.now();
    let sink: ChannelSink | undefined;
    try {
      sink = sinkFor(channel);
      await sink.deliver(forwardedEvent("audit.v1.evt.log_forwarder.tested", record));
      return { ok: true, latencyMs: Date.now() - started, error: null };
    } catch (caught) {
      return { ok: false, latencyMs: Date.now() - started, error: caught instanceof Error ? caught.message : String(caught) };
    } finally {
      await sink?.close().catch(() => undefined);
    }
  });
}
