/**
 * What every service is, whether it runs alone in a process or beside the others: a config schema over the
 * environment, the dependencies it needs, and a start function returning its HTTP mount, readiness and stop.
 */
import type { Logger } from "@thinkwatch/log";
import type { Metrics } from "@thinkwatch/metrics";
import type { Hono } from "hono";
import type * as v from "valibot";
import type { ResourcePool } from "./resource-pool.js";
import type { ServiceHealth } from "./service-health.js";

/** `mcp`: mcp-proxy on its own port (MCP_PORT), for one-service-per-process deployments on one machine. */
export type Listener = "gateway" | "console" | "mcp";

export interface HttpMount {
  listener: Listener;
  /** Path patterns this service answers on its listener (Hono syntax, e.g. `/v1/*`); each app keeps its own middleware. */
  paths: string[];
  // biome-ignore lint/suspicious/noExplicitAny: a mount may carry any Hono env
  app: Hono<any>;
}

export interface DependencyProbe {
  /** The environment variable that points at the dependency, named in the error line. */
  variable: string;
  /** What it is, for humans: "PostgreSQL at postgres://…". */
  describe: string;
  /** What the operator should do when the check fails. */
  remedy: string;
  check(): Promise<void>;
}

export interface ServiceContext {
  log: Logger;
  /** Connections the services of this process share (one NATS connection in all-in-one mode). */
  resources: ResourcePool;
  /** Unique per process start; names NATS connections and consumers' instances. */
  instanceId: string;
  /** The process's metrics (shared by its services); `enabled: false` when METRICS_BEARER_TOKEN is unset. */
  metrics: Metrics;
}

export interface RunningService {
  http?: HttpMount;
  /** True when the service can do its work right now (its dependencies answer). */
  ready(): Promise<boolean>;
  /** Each dependency timed, with pool statistics and the reason when not ready (for /api/health). */
  health?(): Promise<ServiceHealth>;
  /** Stop intake, finish in-flight work within the deadline, close clients in reverse order of opening. */
  stop(deadlineMs: number): Promise<void>;
}

export type EnvSchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

export interface ServiceDefinition<S extends EnvSchema = EnvSchema> {
  name: string;
  config: S;
  dependencies(config: v.InferOutput<S>): DependencyProbe[];
  start(config: v.InferOutput<S>, context: ServiceContext): Promise<RunningService>;
}

/** Identity function that keeps the config type flowing from the schema into start(). */
export function defineService<S extends EnvSchema>(definition: ServiceDefinition<S>): ServiceDefinition<S> {
  return definition;
}
