/**
 * Metrics read at scrape time from state that exists anyway (an outbox's drop count, a consumer's lag), so nothing
 * extra runs on the hot path. Sources register and unregister as services and channels come and go.
 */
import { Counter, Gauge, type Registry } from "prom-client";

export interface CollectedSources {
  /** An outbox's dropped-event count (audit_log_dropped_total{service}); returns the unregister function. */
  auditDrops(service: string, count: () => number): () => void;
  /** A dead-letter sender's total (audit_dead_letter_total{consumer}). */
  deadLetters(consumer: string, count: () => number): () => void;
  /** A JetStream consumer's lag, asked at scrape time (jetstream_consumer_lag{stream,consumer}). */
  consumerLag(stream: string, consumer: string, lag: () => Promise<number>): () => void;
  /** MCP gateway sessions open in this process (mcp_sessions_live{kind}: session-based or stateless). */
  mcpSessions(count: () => { session: number; stateless: number }): () => void;
}

function sourceSet<T>() {
  const entries = new Map<string, T>();
  return {
    entries,
    add(key: string, value: T) {
      entries.set(key, value);
      return () => {
        if (entries.get(key) === value) entries.delete(key);
      };
    },
  };
}

export function defineCollected(registry: Registry): CollectedSources {
  const drops = sourceSet<{ service: string; count: () => number }>();
  const dead = sourceSet<{ consumer: string; count: () => number }>();
  const lags = sourceSet<{ stream: string; consumer: string; lag: () => Promise<number> }>();

  new Counter({
    name: "audit_log_dropped_total",
    help: "Audit events this process could not publish and dropped (full buffer or an event that cannot be encoded).",
    labelNames: ["service"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { service, count } of drops.entries.values()) this.inc({ service }, count());
    },
  });
  new Counter({
    name: "audit_dead_letter_total",
    help: "Messages this process's consumers gave up on and moved to the DEADLETTER stream, by consumer.",
    labelNames: ["consumer"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { consumer, count } of dead.entries.values()) this.inc({ consumer }, count());
    },
  });
  new Gauge({
    name: "jetstream_consumer_lag",
    help: "Messages stored in the stream that the durable consumer has not been delivered yet.",
    labelNames: ["stream", "consumer"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const sources = [...lags.entries.values()];
      const values = await Promise.all(sources.map((s) => s.lag().catch(() => null)));
      sources.forEach((source, i) => {
        const value = values[i];
        if (value !== null && value !== undefined) this.set({ stream: source.stream, consumer: source.consumer }, value);
      });
    },
  });

  const mcp = sourceSet<() => { session: number; stateless: number }>();
  new Gauge({
    name: "mcp_sessions_live",
    help: "MCP gateway sessions open in this process (closed on DELETE or when idle), by kind.",
    labelNames: ["kind"] as const,
    registers: [registry],
    collect() {
      this.reset();
      const totals = { session: 0, stateless: 0 };
      for (const count of mcp.entries.values()) {
        const { session, stateless } = count();
        totals.session += session;
        totals.stateless += stateless;
      }
      this.set({ kind: "session" }, totals.session);
      this.set({ kind: "stateless" }, totals.stateless);
    },
  });

  let counter = 0;
  const unique = (name: string) => {
    counter += 1;
    return `${name}#${counter}`;
  };
  return {
    auditDrops: (service, count) => drops.add(unique(service), { service, count }),
    deadLetters: (consumer, count) => dead.add(unique(consumer), { consumer, count }),
    consumerLag: (stream, consumer, lag) => lags.add(`${stream}/${consumer}`, { stream, consumer, lag }),
    mcpSessions: (count) => mcp.add(unique("mcp"), count),
  };
}
