/**
 * Every ThinkWatch instance of this deployment answering `$SRV.STATS` within the wait: one request, every reply
 * collected until the wait ends. Replies of other deployments on the same NATS (other namespaces) are left out.
 */
import {
  INSTANCE_SERVICE_PREFIX,
  type InstanceMetadata,
  InstanceMetadataSchema,
  type InstanceReport,
  InstanceReportSchema,
} from "@thinkwatch/proto";
import * as v from "valibot";
import type { Bus } from "./bus.js";
import { decodeJson } from "./codec.js";

export interface DiscoveredInstance {
  id: string;
  service: string;
  version: string;
  metadata: InstanceMetadata;
  startedAt: string;
  /** null when the instance could not produce its report. */
  report: InstanceReport | null;
}

const StatsReplySchema = v.object({
  type: v.literal("io.nats.micro.v1.stats_response"),
  name: v.string(),
  id: v.string(),
  version: v.string(),
  metadata: InstanceMetadataSchema,
  started: v.string(),
  endpoints: v.array(v.object({ name: v.string(), data: v.unknown() })),
});

export async function discoverInstances(bus: Bus, waitMs = 750): Promise<DiscoveredInstance[]> {
  const replies = await bus.nc.requestMany("$SRV.STATS", undefined, { strategy: "timer", maxWait: waitMs });
  const found: DiscoveredInstance[] = [];
  for await (const msg of replies) {
    let body: unknown;
    try {
      body = decodeJson(msg.data);
    } catch {
      continue;
    }
    const parsed = v.safeParse(StatsReplySchema, body);
    if (!parsed.success) continue; // Another program's service, or not a ThinkWatch instance.
    const reply = parsed.output;
    if (!reply.name.startsWith(INSTANCE_SERVICE_PREFIX) || reply.metadata.namespace !== bus.namespace) continue;
    const data = reply.endpoints.find((e) => e.name === "report")?.data;
    const report = v.safeParse(InstanceReportSchema, data);
    found.push({
      id: reply.id,
      service: reply.metadata.service,
      version: reply.version,
      metadata: reply.metadata,
      startedAt: reply.started,
      report: report.success ? report.output : null,
    });
  }
  return found.sort((a, b) => a.service.localeCompare(b.service) || a.id.localeCompare(b.id));
}
