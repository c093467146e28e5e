/**
 * The edge's side of quota.v1.check: checks made in the same event-loop tick travel together in one
 * quota.v1.check_batch message. When quota cannot be reached the request goes through (the fail policy for Redis
 * is quota's, not the edge's) and the edge says so once per interval, not once per request.
 */
import type { Bus } from "@thinkwatch/bus";
import type { Logger } from "@thinkwatch/log";
import { QuotaCheckBatch, type QuotaCheckRequest, type QuotaDecision } from "@thinkwatch/proto";

export interface QuotaClient {
  /** The decision, or null when quota could not be asked. */
  check(request: QuotaCheckRequest): Promise<QuotaDecision | null>;
}

const WARN_INTERVAL_MS = 10_000;
const MAX_BATCH = 500;

export function createQuotaClient(bus: Bus, log: Logger, options: { timeoutMs?: number } = {}): QuotaClient {
  const timeoutMs = options.timeoutMs ?? 2000;
  let pending: Array<{ request: QuotaCheckRequest; resolve: (decision: QuotaDecision | null) => void }> = [];
  let scheduled = false;
  let lastWarnAt = 0;
  let suppressed = 0;

  const unreachable = (caught: unknown, size: number) => {
    const now = Date.now();
    if (now - lastWarnAt >= WARN_INTERVAL_MS) {
      log.warn({ err: caught, suppressed, batch: size }, "quota unreachable; letting requests through");
      lastWarnAt = now;
      suppressed = 0;
    } else {
      suppressed += size;
    }
  };

  const send = (batch: typeof pending) => {
    bus.request(QuotaCheckBatch, { checks: batch.map((entry) => entry.request) }, { timeoutMs }).then(
      ({ decisions }) => {
        batch.forEach((entry, index) => {
          entry.resolve(decisions[index] ?? null);
        });
      },
      (caught: unknown) => {
        unreachable(caught, batch.length);
        for (const entry of batch) entry.resolve(null);
      },
    );
  };

  const flush = () => {
    scheduled = false;
    const all = pending;
    pending = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) send(all.slice(i, i + MAX_BATCH));
  };

  return {
    check(request) {
      return new Promise((resolve) => {
        pending.push({ request, resolve });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
