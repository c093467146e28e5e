/**
 * The upstream call of a gateway request, over every route of the model: routes are tried in the order
 * orderRoutes gives (weighted inside the best priority, then the others); an open breaker or a route at its cap is
 * skipped; a retryable failure (connection error, timeout, 408, 429, 5xx) falls back to the next route at once.
 * When every route failed, the whole round is retried after a backoff (or the upstream's Retry-After) — at most
 * `retryMaxAttempts` more rounds, and never past `retryBudgetMs`. All of this happens before any byte is sent to
 * the client: a non-streaming answer is read whole inside the attempt (so a body cut short is retried too); a
 * stream is handed on at its first 2xx headers and never retried after. A route the request cannot be built for
 * (strict conversion refusing what its format cannot express) is skipped; when no route could be built, the first
 * such refusal is the answer.
 */
import { AppError, toAppError } from "@thinkwatch/errors";
import type { AbortLike } from "@thinkwatch/http";
import type { Logger } from "@thinkwatch/log";
import type { GatewaySettingsSchema } from "@thinkwatch/proto";
import { type TraceContext, withContext } from "@thinkwatch/tracing";
import type * as v from "valibot";
import type { Admission, CircuitBreakers } from "../routing/circuit-breakers.js";
import type { ModelRoutes, Route } from "../routing/model-router.js";
import type { RouteCaps } from "../routing/route-caps.js";
import { orderRoutes } from "../routing/route-order.js";
import { backoffMs, isRetryableStatus, retryAfterMs } from "./retry-policy.js";
import { bufferedBody, type UpstreamHttp, type UpstreamRequest, type UpstreamResponse } from "./upstream-http.js";

export type GatewaySettings = v.InferOutput<typeof GatewaySettingsSchema>;

export interface RouteSendDeps {
  upstream: UpstreamHttp;
  breakers: CircuitBreakers;
  caps: RouteCaps;
  gatewaySettings: () => GatewaySettings;
  log: Logger;
  /** The random source of route order and backoff jitter (tests pass a fixed one to know the waits). */
  random?: () => number;
  /** Waits between retry rounds; rejects when the signal aborts (tests pass one that records the waits). */
  sleep?: (ms: number, signal: AbortLike) => Promise<unknown>;
}

export interface RoutedAttempt<T> {
  request: UpstreamRequest;
  /** Whatever the caller needs to read this route's answer (formats, passthrough…). */
  plan: T;
}

export interface RoutedResponse<T> {
  route: Route;
  plan: T;
  response: UpstreamResponse;
  attempts: number;
}

export interface RouteSendOptions {
  /** Streams are handed on at their first 2xx headers; other answers are read whole before returning. */
  stream: boolean;
  /** The client's abort: when it fires, the upstream call is cancelled and no further attempt is made. */
  signal: AbortLike;
  requestId: string;
  /** The gateway request's trace context, parent of each attempt's upstream span. */
  trace?: TraceContext | undefined;
}

type Failure = { kind: "response"; response: UpstreamResponse; retryAfter: number | null } | { kind: "error"; error: AppError };

const clientClosed = () => new AppError("bad_request", "the client closed the request", { status: 499 });

export async function sendWithRoutes<T>(
  deps: RouteSendDeps,
  model: ModelRoutes,
  options: RouteSendOptions,
  build: (route: Route) => RoutedAttempt<T>,
): Promise<RoutedResponse<T>> {
  const settings = deps.gatewaySettings();
  const deadline = Date.now() + settings.retryBudgetMs;
  const random = deps.random ?? Math.random;
  const pause = deps.sleep ?? pauseUnlessAborted;
  let attempts = 0;
  let last: Failure | undefined;
  let lastAttempt: { route: Route; plan: T } | undefined;
  let skippedOpen = 0;
  let skippedCapped = 0;
  let unbuildable: AppError | undefined;
  const builds = new Map<string, RoutedAttempt<T>>();

  for (let round = 0; ; round++) {
    for (const route of orderRoutes(model.routes, random)) {
      if (options.signal.aborted) throw clientClosed();
      if (attempts > 0 && Date.now() >= deadline) break;
      // Built before the breaker is asked (a refusal must not take a half-open probe slot), once per route.
      let built = builds.get(route.id);
      if (built === undefined) {
        try {
          built = build(route);
        } catch (caught) {
          unbuildable ??= toAppError(caught);
          continue;
        }
        builds.set(route.id, built);
      }
      // Both answer synchronously in the common case (a cached closed breaker, a route without caps): no await then.
      const admitted = deps.breakers.admit(route);
      const admission = typeof admitted === "string" ? admitted : await admitted;
      if (admission === "deny") {
        skippedOpen++;
        continue;
      }
      const taken = deps.caps.take(route);
      if (!(typeof taken === "boolean" ? taken : await taken)) {
        // A half-open probe handed out for a route that is not tried goes back, or the breaker stays half-open.
        await deps.breakers.release(route, admission);
        skippedCapped++;
        continue;
      }
      const { request, plan } = built;
      attempts++;
      const outcome = await attempt(
        deps,
        route,
        admission,
        { ...request, signal: options.signal, trace: options.trace },
        options.stream,
      );
      if ("response" in outcome) return { route, plan, response: outcome.response, attempts };
      last = outcome.failure;
      lastAttempt = { route, plan };
      const failed = last;
      // With the request's trace id on the line (the context is not active here, after awaits).
      withContext(options.trace, () =>
        deps.log.warn(
          {
            requestId: options.requestId,
            route: route.id,
            provider: route.provider.name,
            attempt: attempts,
            ...(failed.kind === "response" ? { status: failed.response.status } : { err: failed.error.message }),
          },
          "upstream attempt failed",
        ),
      );
    }
    if (last === undefined) break;
    if (round >= settings.retryMaxAttempts) break;
    const wait =
      (last.kind === "response" ? last.retryAfter : null) ??
      backoffMs(round + 1, settings.retryBaseDelayMs, settings.retryMaxDelayMs, random);
    if (Date.now() + wait >= deadline) break;
    try {
      await pause(wait, options.signal);
    } catch {
      throw clientClosed();
    }
  }

  if (last?.kind === "response" && lastAttempt !== undefined) return { ...lastAttempt, response: last.response, attempts };
  if (last?.kind === "error") throw last.error;
  if (unbuildable !== undefined) throw unbuildable;
  if (skippedCapped > 0 && skippedOpen === 0) {
    const secondsToNextMinute = 60 - Math.floor((Date.now() / 1000) % 60);
    throw new AppError("rate_limited", `every route of the model '${model.model}' is at its per-minute cap`, {
      details: { rule: "route_cap", retryAfterSeconds: secondsToNextMinute },
    });
  }
  throw new AppError(
    "unavailable",
    `every route of the model '${model.model}' is unavailable right now (circuit breaker open); try again shortly`,
    { details: { retryAfterSeconds: settings.breakerRecoverySeconds } },
  );
}

async function attempt(
  deps: RouteSendDeps,
  route: Route,
  admission: Admission,
  request: UpstreamRequest,
  stream: boolean,
): Promise<{ response: UpstreamResponse } | { failure: Failure }> {
  try {
    const response = await deps.upstream.send(request);
    if (isRetryableStatus(response.status)) {
      // Read the (small) error body now: it frees the connection and is what the client sees if nothing succeeds.
      const body = bufferedBody(await response.body.bytes().catch(() => new Uint8Array(0)));
      // 429 says "busy", not "broken": it moves traffic on but does not count against the breaker.
      await deps.breakers.record(route, response.status === 429, admission);
      return {
        failure: { kind: "response", response: { ...response, body }, retryAfter: retryAfterMs(response.headers) },
      };
    }
    const answer = stream && response.status < 400 ? response : { ...response, body: bufferedBody(await response.body.bytes()) };
    // Not awaited: a stream must reach its reader now, before what arrived with it is lost to a socket error that
    // follows (record() reports its own failures).
    void deps.breakers.record(route, true, admission);
    return { response: answer };
  } catch (caught) {
    const error = toAppError(caught);
    if (error.status === 499 || !error.retryable) {
      // A client gone before the outcome says nothing about the route: a probe gives its slot back.
      if (error.status === 499) await deps.breakers.release(route, admission);
      else await deps.breakers.record(route, true, admission);
      throw error;
    }
    await deps.breakers.record(route, false, admission);
    return { failure: { kind: "error", error } };
  }
}

/** Waits `ms`, or rejects as soon as the signal aborts. */
function pauseUnlessAborted(ms: number, signal: AbortLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
