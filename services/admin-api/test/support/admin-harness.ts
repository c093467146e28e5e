/**
 * admin-api (with key-service, quota and mcp-proxy) in this test process against the real servers, optionally on a fake
 * clock, plus a NATS observer that collects the UsersChanged broadcasts and audit records admin-api sends.
 */
import { resolve } from "node:path";
import { type Bus, connectBus, ensureStream } from "@thinkwatch/bus";
import { createClickHouse, migrateClickHouse } from "@thinkwatch/clickhouse";
import { createDb, tables } from "@thinkwatch/db";
import { keyService } from "@thinkwatch/key-service";
import { defineService, type Fleet, startFleet } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import { mcpProxyService } from "@thinkwatch/mcp-proxy";
import { type AuditRecord, AuditRecordSchema, type Settings, STREAMS, UsersChanged } from "@thinkwatch/proto";
import { quotaService } from "@thinkwatch/quota";
import { createTestEnvironment, freePort, REPO_ROOT, type TestEnvironment } from "@thinkwatch/testkit";
import * as v from "valibot";
import { adminApiService, type Clock, type DeclaredRoute, startAdminApi } from "../../src/index.js";

export interface AdminHarness {
  url: string;
  env: TestEnvironment;
  fleet: Fleet;
  observer: Bus;
  routes(): readonly DeclaredRoute[];
  usersChanged: Array<v.InferOutput<typeof UsersChanged.payload>>;
  audit: AuditRecord[];
  /** Another admin-api replica on the same database, bus and Redis (its own process-local caches). */
  addReplica(): Promise<{ url: string; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

export interface AdminHarnessOptions {
  clock?: Clock;
  /** The built console SPA to serve (default: none). */
  consoleWebDir?: string;
  /** Settings stored before admin-api starts (it publishes them at start), by category. */
  settings?: { [C in keyof Settings]?: Partial<Settings[C]> };
}

export async function startAdminHarness(options: AdminHarnessOptions = {}): Promise<AdminHarness> {
  const env = await createTestEnvironment({ clickhouse: true });
  // The log explorer reads ClickHouse tables that audit-ingest creates in a full fleet; here the harness creates them.
  const clickhouse = createClickHouse({ url: env.env.CLICKHOUSE_URL as string, database: env.env.CLICKHOUSE_DB as string });
  try {
    await migrateClickHouse(clickhouse, resolve(REPO_ROOT, "migrations/clickhouse"));
  } finally {
    await clickhouse.close();
  }
  if (options.settings !== undefined) {
    const pg = createDb({ url: env.env.DATABASE_URL as string });
    for (const [key, value] of Object.entries(options.settings)) await pg.db.insert(tables.systemSettings).values({ key, value });
    await pg.close();
  }
  const port = await freePort();
  let routes: (() => readonly DeclaredRoute[]) | undefined;
  const adminApi = defineService({
    ...adminApiService,
    async start(config, context) {
      const running = await startAdminApi(config, context, options.clock === undefined ? {} : { clock: options.clock });
      routes = running.routes;
      return running;
    },
  });
  const observer = await connectBus({
    url: env.env.NATS_URL as string,
    namespace: env.id,
    name: "test-observer",
    log: createLogger({ service: "test", level: "error" }),
  });
  // The AUDIT stream (audit-ingest creates it in a full fleet) so admin-api's audit records are stored and acked.
  await ensureStream(observer, STREAMS.audit);
  const fleet = await startFleet({
    // Every service the console API calls over NATS, so each console route reaches a real answer.
    services: [keyService, quotaService, mcpProxyService, adminApi],
    env: {
      ...env.env,
      CONSOLE_PORT: String(port),
      GATEWAY_PORT: String(await freePort()),
      CONSOLE_WEB_DIR: options.consoleWebDir ?? "/nonexistent",
      SHUTDOWN_DEADLINE_MS: "3000",
    },
  });
  const usersChanged: AdminHarness["usersChanged"] = [];
  observer.onBroadcast(UsersChanged, (event) => usersChanged.push(event));
  const audit: AuditRecord[] = [];
  const seen = new Set<string>();
  observer.nc.subscribe(observer.subject("audit.v1.evt.>"), {
    callback: (_err, msg) => {
      const parsed = v.safeParse(AuditRecordSchema, msg.json());
      if (parsed.success && !seen.has(parsed.output.eventId)) {
        seen.add(parsed.output.eventId);
        audit.push(parsed.output);
      }
    },
  });
  await observer.nc.flush();
  return {
    url: `http://127.0.0.1:${port}`,
    env,
    fleet,
    observer,
    routes: () => {
      if (routes === undefined) throw new Error("admin-api has not started");
      return routes();
    },
    usersChanged,
    audit,
    async addReplica() {
      const replicaPort = await freePort();
      const replica = await startFleet({
        services: [adminApiService],
        env: { ...env.env, CONSOLE_PORT: String(replicaPort), CONSOLE_WEB_DIR: "/nonexistent", SHUTDOWN_DEADLINE_MS: "3000" },
      });
      return { url: `http://127.0.0.1:${replicaPort}`, stop: () => replica.stop("test done") };
    },
    async stop() {
      await observer.close(1000);
      await fleet.stop("test done");
      await env.cleanup();
    },
  };
}
