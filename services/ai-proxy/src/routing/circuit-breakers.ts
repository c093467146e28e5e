/**
 * Circuit breakers per route (Closed → Open → HalfOpen), shared by every ai-proxy replica through Redis. A breaker
 * opens when, inside one window, failures reach the count threshold AND the error rate; after the recovery period a
 * limited number of probes go through; their success closes it, a failure opens it again. Each transition is
 * published once (by the replica that caused it) as an audit record.
 *
 * Hot path: a closed breaker admits without waiting for Redis (seen more than CACHE_MS ago, it is re-read once in the
 * background, so another replica's opening is seen within a round trip). Successes of requests admitted
 * while closed change no state, so they are counted locally and folded into Redis at most every FLUSH_MS (all routes
 * in one round trip, one script run) or with the route's next failure; failures and probe outcomes go at once, so a
 * breaker opens as soon as the failures say so. When Redis cannot be reached the breakers fail open (requests go
 * through) and say so in the log.
 */
import { randomUUID } from "node:crypto";
import type { Outbox } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { auditRecordContract, type BreakerState, type GatewaySettingsSchema } from "@thinkwatch/proto";
import { defineScript } from "@thinkwatch/redis";
import type { Redis } from "ioredis";
import type * as v from "valibot";
import { BREAKER_ADMIT, BREAKER_RECORD, BREAKER_RELEASE } from "./breaker-scripts.js";
import type { Route } from "./model-router.js";

type GatewaySettings = v.InferOutput<typeof GatewaySettingsSchema>;

/** How long a replica trusts what it last saw of a closed breaker. */
const CACHE_MS = 250;
/** How long successes of a closed route wait before they are folded into the shared window. */
const FLUSH_MS = 250;
const KEY_TTL_SECONDS = 24 * 3600;

export type Admission = "allow" | "probe" | "deny";

export interface BreakerSnapshot {
  state: BreakerState;
  requests: number;
  failures: number;
  openedAt: number | null;
}

export interface CircuitBreakers {
  /** Synchronous when the replica's cached state decides. */
  admit(route: Route): Admission | Promise<Admission>;
  /** `probe`: the attempt was admitted as a half-open probe. Returns nothing when the outcome was only counted. */
  record(route: Route, ok: boolean, admission: Admission): Promise<void> | undefined;
  /**
   * The admitted attempt ended without an outcome (skipped at a cap, client gone): a probe gives its half-open slot
   * back; other admissions hold nothing, so nothing happens.
   */
  release(route: Route, admission: Admission): Promise<void> | undefined;
  snapshot(routeIds: readonly string[]): Promise<Map<string, BreakerSnapshot>>;
}

const TRANSITION_ACTIONS: Record<string, string> = {
  opened: "circuit_breaker.opened",
  reopened: "circuit_breaker.opened",
  half_opened: "circuit_breaker.half_opened",
  closed: "circuit_breaker.closed",
};

export function breakerKey(routeId: string): string {
  return `cb:${routeId}`;
}

export function createRedisCircuitBreakers(deps: {
  redis: Redis;
  settings: () => GatewaySettings;
  outbox: Outbox;
  log: Logger;
  now?: () => number;
  /** Told the state each time this replica reads or changes a breaker (the circuit_breaker_state gauge). */
  onState?: (route: Route, state: BreakerState) => void;
}): CircuitBreakers {
  const { redis, outbox, log } = deps;
  const now = deps.now ?? Date.now;
  const admitScript = defineScript<[string, string, string, number]>(redis, "breaker_admit", BREAKER_ADMIT, 1);
  const recordScript = defineScript<[string, string, number]>(redis, "breaker_record", BREAKER_RECORD, 1);
  const releaseScript = defineScript<number>(redis, "breaker_release", BREAKER_RELEASE, 1);
  const seen = new Map<string, { state: string; openedAt: number; at: number }>();
  let redisDown = false;

  const remember = (route: Route, state: string, openedAt: number) => {
    seen.set(route.id, { state, openedAt, at: now() });
    deps.onState?.(route, state as BreakerState);
  };
  const redisFailed = (caught: unknown) => {
    if (!redisDown) log.warn({ err: caught }, "circuit-breaker state unreachable in Redis; routes are treated as closed");
    redisDown = true;
  };

  const publish = (route: Route, transition: string, state: string, details: Record<string, unknown>) => {
    const action = TRANSITION_ACTIONS[transition];
    if (action === undefined) return;
    const eventId = randomUUID();
    outbox.enqueue(
      auditRecordContract(action),
      {
        eventId,
        occurredAt: now(),
        traceId: null,
        requestId: null,
        category: "circuit_breaker",
        action,
        actor: { kind: "system", id: null, name: "ai-proxy", ip: null, userAgent: null },
        target: { kind: "model_route", id: route.id, name: `${route.model} via ${route.provider.name}` },
        outcome: state === "closed" ? "success" : "failure",
        teamId: null,
        details: { ...details, state, model: route.model, providerId: route.provider.id, upstreamModel: route.upstreamModel },
        before: null,
        after: null,
      },
      eventId,
    );
    log.warn({ route: route.id, model: route.model, provider: route.provider.name, transition }, "circuit breaker changed state");
  };

  const recordArgs = (settings: GatewaySettings, successes: number, failures: number, probe: boolean) => [
    now(),
    successes,
    settings.breakerWindowSeconds * 1000,
    settings.breakerFailureThreshold,
    settings.breakerErrorRatePct,
    settings.breakerHalfOpenProbes,
    probe ? 1 : 0,
    KEY_TTL_SECONDS,
    failures,
  ];
  const recorded = (route: Route, settings: GatewaySettings, state: string, transition: string, openedAt: string | number) => {
    remember(route, state, Number(openedAt));
    if (transition !== "") {
      publish(route, transition, state, {
        failureThreshold: settings.breakerFailureThreshold,
        errorRatePct: settings.breakerErrorRatePct,
        windowSeconds: settings.breakerWindowSeconds,
      });
    }
  };

  const refreshing = new Set<string>();
  const ask = async (route: Route, settings: GatewaySettings, t: number): Promise<Admission> => {
    try {
      const [decision, state, transition, openedAt] = await admitScript(
        [breakerKey(route.id)],
        [t, settings.breakerRecoverySeconds * 1000, settings.breakerHalfOpenProbes],
      );
      redisDown = false;
      remember(route, state, Number(openedAt));
      if (transition !== "") publish(route, transition, state, { recoverySeconds: settings.breakerRecoverySeconds });
      return decision as Admission;
    } catch (caught) {
      redisFailed(caught);
      return "allow";
    }
  };

  const pending = new Map<string, { route: Route; successes: number }>();
  let flushScheduled = false;
  const flushPending = () => {
    flushScheduled = false;
    const batch = [...pending.values()];
    pending.clear();
    if (batch.length === 0) return;
    const settings = deps.settings();
    recordScript
      .many(
        batch.map(({ route, successes }) => ({ keys: [breakerKey(route.id)], args: recordArgs(settings, successes, 0, false) })),
      )
      .then((outcomes) => {
        redisDown = false;
        outcomes.forEach((outcome, index) => {
          const { route } = batch[index] as { route: Route };
          if (outcome.ok) recorded(route, settings, ...outcome.value);
          else redisFailed(outcome.error);
        });
      }, redisFailed);
  };

  /** An outcome that may change the state: to Redis now, with the route's waiting successes unless it is a probe. */
  const report = async (route: Route, ok: boolean, admission: Admission): Promise<void> => {
    // A probe reports alone; any other outcome takes the route's waiting successes along.
    let successes = ok ? 1 : 0;
    if (admission !== "probe") {
      successes += pending.get(route.id)?.successes ?? 0;
      pending.delete(route.id);
    }
    const settings = deps.settings();
    try {
      const [state, transition, openedAt] = await recordScript(
        [breakerKey(route.id)],
        recordArgs(settings, successes, ok ? 0 : 1, admission === "probe"),
      );
      redisDown = false;
      recorded(route, settings, state, transition, openedAt);
    } catch (caught) {
      redisFailed(caught);
    }
  };

  return {
    admit(route) {
      const settings = deps.settings();
      const cached = seen.get(route.id);
      const t = now();
      if (cached !== undefined) {
        if (cached.state === "closed") {
          // Closed and seen lately: admit. Closed but stale: admit too, and refresh it once in the background
          // (every request of a busy route asking Redis at the same moment would cost more than the breaker saves).
          if (t - cached.at >= CACHE_MS && !refreshing.has(route.id)) {
            refreshing.add(route.id);
            void ask(route, settings, t).finally(() => refreshing.delete(route.id));
          }
          return "allow";
        }
        if (cached.state === "open" && t - cached.openedAt < settings.breakerRecoverySeconds * 1000) return "deny";
      }
      return ask(route, settings, t);
    },
    record(route, ok, admission) {
      if (ok && admission === "allow" && seen.get(route.id)?.state === "closed") {
        const waiting = pending.get(route.id);
        if (waiting === undefined) pending.set(route.id, { route, successes: 1 });
        else waiting.successes += 1;
        if (!flushScheduled) {
          flushScheduled = true;
          setTimeout(flushPending, FLUSH_MS).unref();
        }
        return undefined;
      }
      return report(route, ok, admission);
    },
    release(route, admission) {
      if (admission !== "probe") return undefined;
      return releaseScript([breakerKey(route.id)], []).then(() => {
        redisDown = false;
      }, redisFailed);
    },
    async snapshot(routeIds) {
      const pipeline = redis.pipeline();
      for (const id of routeIds) pipeline.hmget(breakerKey(id), "state", "requests", "failures", "openedAt");
      const results = (await pipeline.exec()) ?? [];
      const out = new Map<string, BreakerSnapshot>();
      routeIds.forEach((id, index) => {
        const [error, values] = results[index] ?? [null, []];
        if (error !== null) throw error;
        const [state, requests, failures, openedAt] = values as Array<string | null>;
        out.set(id, {
          state: (state ?? "closed") as BreakerState,
          requests: Number(requests ?? 0),
          failures: Number(failures ?? 0),
          openedAt: openedAt === null || openedAt === undefined || Number(openedAt) === 0 ? null : Number(openedAt),
        });
      });
      return out;
    },
  };
}
