/**
 * /api/admin/log-forwarders: audit delivery channels — list, create, update, toggle, test, stats. Each change is
 * audited and republishes the channel list to the config KV, which every forwarder replica follows.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { decodeJson } from "@thinkwatch/bus";
import {
  CreateLogForwarderSchema,
  type LogForwarderStats,
  ToggleLogForwarderSchema,
  UpdateLogForwarderSchema,
} from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { ChannelCountersSchema, CONSUMERS, ForwarderTestChannel, KV_BUCKETS, type LogChannel, STREAMS } from "@thinkwatch/proto";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import { channelView, storedSettings } from "../publish/channel-settings.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

async function found(deps: AdminDeps, id: string): Promise<LogChannel> {
  const channel = await deps.channels.get(id);
  if (channel === null) throw new AppError("not_found", "no such log forwarder");
  return channel;
}

async function stats(deps: AdminDeps, channel: LogChannel): Promise<LogForwarderStats> {
  const total: LogForwarderStats = { sent: 0, failed: 0, deadLettered: 0, lag: 0, lastDeliveredAt: null, lastError: null };
  const kv = await new Kvm(deps.bus.nc).create(deps.bus.bucketName(KV_BUCKETS.forwarderStats), { history: 1 });
  let newestUpdate = 0;
  for await (const key of await kv.keys(`${channel.id}.*`)) {
    const entry = await kv.get(key);
    if (entry === null || entry.operation !== "PUT") continue;
    const parsed = v.safeParse(ChannelCountersSchema, decodeJson(entry.value));
    if (!parsed.success) continue;
    const c = parsed.output;
    total.sent += c.sent;
    total.failed += c.failed;
    total.deadLettered += c.deadLettered;
    if (c.lastDeliveredAt !== null && c.lastDeliveredAt > (total.lastDeliveredAt ?? 0)) total.lastDeliveredAt = c.lastDeliveredAt;
    if (c.lastError !== null && c.updatedAt > newestUpdate) {
      total.lastError = c.lastError;
      newestUpdate = c.updatedAt;
    }
  }
  try {
    const jsm = await jetstreamManager(deps.bus.nc);
    const info = await jsm.consumers.info(deps.bus.streamName(STREAMS.audit.name), CONSUMERS.forwarderChannel(channel.id));
    total.lag = info.num_pending + info.num_ack_pending;
  } catch {
    // No consumer yet (the channel never ran): nothing is waiting for it.
  }
  return total;
}

export function registerLogForwarderRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/log-forwarders", "log_forwarders:read", async (c) =>
    c.json({ forwarders: (await deps.channels.list()).map(channelView) }),
  );

  router.route("POST", "/api/admin/log-forwarders", "log_forwarders:write", { body: CreateLogForwarderSchema }, async (c) => {
    const input = await readRouteBody(c, CreateLogForwarderSchema);
    const forwarder = await deps.channels.create({
      name: input.name,
      kind: input.kind,
      settings: storedSettings(input.kind, input.settings, deps.keyring),
      eventKinds: input.eventKinds,
      enabled: input.enabled,
    });
    await deps.channels.publish();
    deps.audit.record({
      category: "admin",
      action: "log_forwarder.created",
      actor: requestActor(c),
      target: { kind: "log_forwarder", id: forwarder.id, name: forwarder.name },
      after: channelView(forwarder),
      requestId: c.get("requestId"),
    });
    return c.json({ forwarder: channelView(forwarder) }, 201);
  });

  router.route(
    "PATCH",
    "/api/admin/log-forwarders/:id",
    "log_forwarders:write",
    { body: UpdateLogForwarderSchema },
    async (c) => {
      const current = await found(deps, c.req.param("id") ?? "");
      const input = await readRouteBody(c, UpdateLogForwarderSchema);
      const { before, after } = await deps.channels.update(current.id, {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.eventKinds === undefined ? {} : { eventKinds: input.eventKinds }),
        ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
        ...(input.settings === undefined
          ? {}
          : { settings: storedSettings(current.kind, input.settings, deps.keyring, current.settings) }),
      });
      await deps.channels.publish();
      deps.audit.record({
        category: "admin",
        action: "log_forwarder.updated",
        actor: requestActor(c),
        target: { kind: "log_forwarder", id: after.id, name: after.name },
        before: channelView(before),
        after: channelView(after),
        requestId: c.get("requestId"),
      });
      return c.json({ forwarder: channelView(after) });
    },
  );

  router.route(
    "POST",
    "/api/admin/log-forwarders/:id/toggle",
    "log_forwarders:write",
    { body: ToggleLogForwarderSchema },
    async (c) => {
      const current = await found(deps, c.req.param("id") ?? "");
      const { enabled } = await readRouteBody(c, ToggleLogForwarderSchema);
      const { after } = await deps.channels.update(current.id, { enabled });
      await deps.channels.publish();
      deps.audit.record({
        category: "admin",
        action: enabled ? "log_forwarder.enabled" : "log_forwarder.disabled",
        actor: requestActor(c),
        target: { kind: "log_forwarder", id: after.id, name: after.name },
        requestId: c.get("requestId"),
      });
      return c.json({ forwarder: channelView(after) });
    },
  );

  router.route("POST", "/api/admin/log-forwarders/:id/test", "log_forwarders:write", async (c) => {
    const channel = await found(deps, c.req.param("id") ?? "");
    const result = await deps.bus.request(ForwarderTestChannel, { channel }, { trace: c.get("trace"), timeoutMs: 20_000 });
    return c.json({ result });
  });

  router.route("GET", "/api/admin/log-forwarders/:id/stats", "log_forwarders:read", async (c) => {
    const channel = await found(deps, c.req.param("id") ?? "");
    return c.json({ stats: await stats(deps, channel) });
  });
}
