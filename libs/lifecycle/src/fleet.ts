/**
 * Start one, several or all services in this process. The same code runs the all-in-one default and one service per
 * Kubernetes Deployment: parse the merged config (every problem listed), probe every dependency (every problem
 * listed), start services in dependency order, mount HTTP apps on shared listeners, and stop in reverse order.
 */
import { randomUUID } from "node:crypto";
import { ConfigError, fields, parseEnv } from "@thinkwatch/config";
import { createLogger, type Logger } from "@thinkwatch/log";
import * as v from "valibot";
import { checkDependencies } from "./dependencies.js";
import { type ListenerName, type ReadinessReport, type StartedListener, startListener } from "./listeners.js";
import { metricsFor } from "./process-metrics.js";
import { createResourcePool } from "./resource-pool.js";
import type { EnvSchema, HttpMount, RunningService, ServiceDefinition } from "./service.js";
import { createShutdown } from "./shutdown.js";

const FleetEnvSchema = v.object({
  GATEWAY_PORT: fields.port(3000),
  CONSOLE_PORT: fields.port(3001),
  HEALTH_PORT: fields.port(3002),
  /** mcp-proxy's own port when set; by default /mcp shares the gateway port with ai-proxy. */
  MCP_PORT: fields.port(3003),
  HOST: fields.text("0.0.0.0"),
  LOG_LEVEL: fields.logLevel(),
  SHUTDOWN_DEADLINE_MS: fields.positiveInt(25_000),
  /** Set: GET /metrics on every listener, for a scraper presenting this bearer token. Unset: 404, nothing recorded. */
  METRICS_BEARER_TOKEN: fields.text(""),
});

export class StartupError extends Error {
  readonly lines: string[];
  constructor(lines: string[]) {
    super(lines.join("\n"));
    this.name = "StartupError";
    this.lines = lines;
  }
}

export interface FleetOptions {
  // biome-ignore lint/suspicious/noExplicitAny: definitions of different services have different config types
  services: ServiceDefinition<any>[];
  env: Record<string, string | undefined>;
  /** Where log lines go; stdout by default. */
  logDestination?: NodeJS.WritableStream;
}

export interface Fleet {
  log: Logger;
  urls: Partial<Record<ListenerName, string>>;
  /** Readiness of the services behind a listener (and of those without HTTP); of every service without an argument. */
  readiness(listener?: ListenerName): Promise<ReadinessReport>;
  stop(reason: string): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const merged = v.object({
    ...FleetEnvSchema.entries,
    ...Object.assign({}, ...options.services.map((service) => (service.config as EnvSchema).entries)),
  });
  let config: Record<string, unknown>;
  try {
    config = parseEnv(merged, options.env) as Record<string, unknown>;
  } catch (caught) {
    if (caught instanceof ConfigError) throw new StartupError(caught.problems.map((p) => `${p.variable}: ${p.message}`));
    throw caught;
  }
  const fleetConfig = v.parse(FleetEnvSchema, options.env);
  const log = createLogger({
    service: options.services.length === 1 ? (options.services[0]?.name ?? "thinkwatch") : "thinkwatch",
    level: fleetConfig.LOG_LEVEL,
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });

  const problems = await checkDependencies(options.services.flatMap((service) => service.dependencies(config)));
  if (problems.length > 0) throw new StartupError(problems.map((p) => p.line));

  const instanceId = randomUUID().slice(0, 8);
  const resources = createResourcePool();
  const shutdown = createShutdown(log, fleetConfig.SHUTDOWN_DEADLINE_MS);
  const running: Array<{ name: string; service: RunningService }> = [];
  const { metrics, scrape } = metricsFor(fleetConfig.METRICS_BEARER_TOKEN);
  let stopping = false;

  // A listener is ready when the services it serves and the ones without HTTP (which they call) are: the console
  // stays ready while ai-proxy waits for a provider, so an operator can add one.
  const readiness = async (listener?: ListenerName): Promise<ReadinessReport> => {
    const relevant = running.filter(
      ({ service }) =>
        listener === undefined || listener === "health" || service.http === undefined || service.http.listener === listener,
    );
    const entries = await Promise.all(
      relevant.map(async ({ name, service }) => [name, !stopping && (await service.ready().catch(() => false))] as const),
    );
    const services = Object.fromEntries(entries);
    return { ready: !stopping && running.length === options.services.length && entries.every(([, ok]) => ok), services };
  };

  try {
    for (const definition of options.services) {
      const serviceLog = log.child({ svc: definition.name });
      const service = await definition.start(config, { log: serviceLog, instanceId, resources, metrics });
      running.push({ name: definition.name, service });
      shutdown.add(definition.name, (deadline) => service.stop(deadline));
      serviceLog.info("service started");
    }

    const mounts = new Map<ListenerName, HttpMount[]>();
    for (const { service } of running) {
      if (service.http === undefined) continue;
      const list = mounts.get(service.http.listener) ?? [];
      list.push(service.http);
      mounts.set(service.http.listener, list);
    }
    if (mounts.size === 0) mounts.set("health", []);
    const ports: Record<ListenerName, number> = {
      gateway: fleetConfig.GATEWAY_PORT,
      console: fleetConfig.CONSOLE_PORT,
      mcp: fleetConfig.MCP_PORT,
      health: fleetConfig.HEALTH_PORT,
    };
    const listeners: StartedListener[] = [];
    for (const [name, list] of mounts) {
      const listener = await startListener(
        { name, port: ports[name], mounts: list, metrics: scrape },
        fleetConfig.HOST,
        () => readiness(name),
        log,
      );
      listeners.push(listener);
    }
    // Registered last so it runs first: stop taking HTTP requests before the services behind them stop.
    shutdown.add("http", async (deadline) => {
      await Promise.all(listeners.map((listener) => listener.close(deadline)));
    });

    return {
      log,
      urls: Object.fromEntries(listeners.map((l) => [l.name, l.url])),
      readiness,
      async stop(reason) {
        stopping = true;
        await shutdown.run(reason);
      },
    };
  } catch (caught) {
    stopping = true;
    await shutdown.run("startup failed");
    throw caught;
  }
}
