/**
 * Readiness from a service's own dependencies: each is probed (with a deadline) and timed, so the same checks answer
 * /health/ready (ready or not) and /api/health (latency, pool statistics, the reason). A service may add a condition
 * of its own (ai-proxy: a usable provider once setup is done).
 */

export interface HealthCheck {
  /** The dependency: "nats", "postgres", "redis", "clickhouse". */
  name: string;
  check(): Promise<unknown>;
  /** Connection/pool statistics of the client, if it has any. */
  stats?(): Record<string, unknown>;
  /** False: reported, but its failure does not make the service unready (e.g. quota's Redis under a fail policy). */
  critical?: boolean;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  critical: boolean;
  latencyMs: number;
  error: string | null;
  stats: Record<string, unknown> | null;
}

export interface ServiceHealth {
  ready: boolean;
  /** Why the service is not ready, or null. */
  reason: string | null;
  checks: CheckResult[];
}

const CHECK_TIMEOUT_MS = 2000;

export async function runCheck(check: HealthCheck, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      }),
    ]);
    return { ...base(check), ok: true, latencyMs: elapsed(started), error: null };
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    return { ...base(check), ok: false, latencyMs: elapsed(started), error: message.slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

function base(check: HealthCheck) {
  return { name: check.name, critical: check.critical !== false, stats: check.stats?.() ?? null };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/** `ready` and `health` for a RunningService from its dependency checks and an optional condition of its own. */
export function serviceHealth(
  checks: HealthCheck[],
  condition: () => string | null = () => null,
): { ready(): Promise<boolean>; health(): Promise<ServiceHealth> } {
  const health = async (): Promise<ServiceHealth> => {
    const results = await Promise.all(checks.map((check) => runCheck(check)));
    const failed = results.find((r) => !r.ok && r.critical);
    const reason = failed !== undefined ? `${failed.name}: ${failed.error}` : condition();
    return { ready: reason === null, reason, checks: results };
  };
  return { health, ready: async () => (await health()).ready };
}
