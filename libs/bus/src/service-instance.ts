/**
 * A service instance announced over the NATS micro-service protocol: it answers `$SRV.PING`, `$SRV.INFO` and
 * `$SRV.STATS` (for all services, its name, and its id), so `nats micro ls` lists every ThinkWatch instance and
 * admin-api discovers them with one request. The stats reply carries the instance's report as endpoint data.
 * Written here rather than with @nats-io/services, whose releases for the 3.x client line are pre-releases.
 */
import { hostname } from "node:os";
import type { Subscription } from "@nats-io/transport-node";
import { INSTANCE_SERVICE_PREFIX, type InstanceMetadata, type InstanceReport } from "@thinkwatch/proto";
import type { Bus } from "./bus.js";
import { encodeJson } from "./codec.js";

export interface InstanceAnnouncement {
  stop(): void;
}

export interface AnnounceOptions {
  service: string;
  /** The process's instance id. */
  process: string;
  /** The service's readiness and dependency checks (lifecycle's serviceHealth). */
  health(): Promise<Pick<InstanceReport, "ready" | "reason" | "checks">>;
  /** Service-specific figures. */
  extra?(): Partial<Pick<InstanceReport, "gatewayWindow" | "mcpUpstreams">>;
}

/** Semantic version the protocol requires; ThinkWatch services are released together. */
const VERSION = "0.1.0";

const VERBS = ["PING", "INFO", "STATS"] as const;

export function announceInstance(bus: Bus, options: AnnounceOptions): InstanceAnnouncement {
  const name = `${INSTANCE_SERVICE_PREFIX}${options.service}`;
  const id = `${options.process}-${options.service}`;
  const startedMs = Date.now();
  const startedAt = new Date(startedMs).toISOString();
  const metadata: InstanceMetadata = {
    namespace: bus.namespace,
    service: options.service,
    process: options.process,
    hostname: hostname(),
    pid: String(process.pid),
  };
  const endpoint = { name: "report", subject: `$SRV.STATS.${name}.${id}`, queue_group: "" };
  let requests = 0;
  let errors = 0;
  let lastError = "";
  const base = { name, id, version: VERSION, metadata };
  const report = async (): Promise<InstanceReport> => {
    const { ready, reason, checks } = await options.health();
    const memory = process.memoryUsage();
    return {
      ready,
      reason,
      checks,
      startedAt: startedMs,
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      gatewayWindow: null,
      mcpUpstreams: [],
      ...options.extra?.(),
    };
  };

  const answer = async (verb: (typeof VERBS)[number]): Promise<unknown> => {
    if (verb === "PING") return { type: "io.nats.micro.v1.ping_response", ...base };
    if (verb === "INFO")
      return {
        type: "io.nats.micro.v1.info_response",
        ...base,
        description: `ThinkWatch ${options.service}`,
        endpoints: [{ ...endpoint, metadata: null }],
      };
    requests += 1;
    let data: InstanceReport | null = null;
    try {
      data = await report();
    } catch (caught) {
      errors += 1;
      lastError = caught instanceof Error ? caught.message : String(caught);
    }
    return {
      type: "io.nats.micro.v1.stats_response",
      ...base,
      started: startedAt,
      endpoints: [
        {
          ...endpoint,
          num_requests: requests,
          num_errors: errors,
          last_error: lastError,
          processing_time: 0,
          average_processing_time: 0,
          data,
        },
      ],
    };
  };

  const subscriptions: Subscription[] = [];
  for (const verb of VERBS) {
    for (const subject of [`$SRV.${verb}`, `$SRV.${verb}.${name}`, `$SRV.${verb}.${name}.${id}`]) {
      subscriptions.push(
        bus.nc.subscribe(subject, {
          callback: (err, msg) => {
            if (err !== null || msg.reply === undefined || msg.reply === "") return;
            void answer(verb).then((body) => msg.respond(encodeJson(body)));
          },
        }),
      );
    }
  }
  return {
    stop() {
      for (const sub of subscriptions) sub.unsubscribe();
    },
  };
}
