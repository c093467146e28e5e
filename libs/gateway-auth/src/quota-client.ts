/**
 * The edges' side of quota.v1.check (ai-proxy and mcp-proxy): checks made in the same event-loop tick travel together
 * in one quota.v1.check_batch message. When quota cannot be asked in time (stopped, paused, overloaded, no answer
 * within the timeout) the configured fail policy decides, exactly as quota itself does when Redis is down: fail open
 * lets the request through, fail closed refuses it as `rate_limiter_unavailable`. Either way the edge says so once
 * per interval (with how many requests it applied the policy to), not once per request.
 */
import type { Bus } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { QuotaCheckBatch, type QuotaCheckRequest, type QuotaDecision, RATE_LIMITER_UNAVAILABLE } from "@thinkwatch/proto";
import type { TraceContext } from "@thinkwatch/tracing";

export interface QuotaClient {
  /** The decision; null when quota could not be asked and the fail policy let the request through unchecked. */
  /** `trace`: the request's context; a batch's request span joins the trace of its first traced check. */
  check(request: QuotaCheckRequest, trace?: TraceContext): Promise<QuotaDecision | null>;
  /** Requests the fail policy decided since start (`gateway_rate_limiter_fail_open` / `_fail_closed`). */
  failures(): { failOpen: number; failClosed: number };
}

export interface QuotaClientOptions {
  /** How long a check waits for quota's answer before the fail policy applies. */
  timeoutMs?: number;
  /** `security.rateLimitFailClosed`, read at each failure so a settings change applies at once. Default: fail open. */
  failClosed?: () => boolean;
}

const WARN_INTERVAL_MS = 10_000;
const MAX_BATCH = 500;

export function createQuotaClient(bus: Bus, log: Logger, options: QuotaClientOptions = {}): QuotaClient {
  const timeoutMs = options.timeoutMs ?? 2000;
  const failClosed = options.failClosed ?? (() => false);
  let pending: Array<{
    request: QuotaCheckRequest;
    resolve: (decision: QuotaDecision | null) => void;
    trace: TraceContext | undefined;
  }> = [];
  let scheduled = false;
  // Per policy, so the first refusal after switching to fail closed is logged even right after a fail-open line.
  const lastWarnAt = { open: 0, closed: 0 };
  const suppressed = { open: 0, closed: 0 };
  const counts = { failOpen: 0, failClosed: 0 };

  const unavailable = (caught: unknown, size: number, closed: boolean) => {
    if (closed) counts.failClosed += size;
    else counts.failOpen += size;
    const policy = closed ? "closed" : "open";
    const now = Date.now();
    if (now - lastWarnAt[policy] < WARN_INTERVAL_MS) {
      suppressed[policy] += size;
      return;
    }
    log.warn(
      {
        event: closed ? "gateway_rate_limiter_fail_closed" : "gateway_rate_limiter_fail_open",
        err: caught,
        timeoutMs,
        batch: size,
        suppressed: suppressed[policy],
        failOpenTotal: counts.failOpen,
        failClosedTotal: counts.failClosed,
      },
      closed
        ? "quota unreachable; refusing unchecked requests (fail closed)"
        : "quota unreachable; letting requests through (fail open)",
    );
    lastWarnAt[policy] = now;
    suppressed[policy] = 0;
  };

  const fail = (batch: typeof pending, caught: unknown) => {
    const closed = failClosed();
    unavailable(caught, batch.length, closed);
    for (const entry of batch) entry.resolve(closed ? RATE_LIMITER_UNAVAILABLE : null);
  };

  const send = (batch: typeof pending) => {
    const trace = batch.find((entry) => entry.trace !== undefined)?.trace;
    bus.request(QuotaCheckBatch, { checks: batch.map((entry) => entry.request) }, { timeoutMs, trace }).then(
      ({ decisions }) => {
        const missing = batch.filter((_, index) => decisions[index] === undefined);
        batch.forEach((entry, index) => {
          const decision = decisions[index];
          if (decision !== undefined) entry.resolve(decision);
        });
        if (missing.length > 0) fail(missing, new Error(`quota answered ${decisions.length} of ${batch.length} checks`));
      },
      (caught: unknown) => fail(batch, caught),
    );
  };

  const flush = () => {
    scheduled = false;
    const all = pending;
    pending = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) send(all.slice(i, i + MAX_BATCH));
  };

  return {
    check(request, trace) {
      return new Promise((resolve) => {
        pending.push({ request, resolve, trace });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    failures: () => ({ ...counts }),
  };
}
