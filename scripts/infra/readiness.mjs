// Polls a component's probe until it reports ready, the deadline passes, or a process we started dies.
// Probes return { state: "ready" | "starting" | "down" | "broken", detail }.

/**
 * @param {() => Promise<{ state: string, detail?: string }>} probe
 * @param {{ timeoutMs: number, intervalMs?: number, exited?: () => string | undefined }} options
 *   `exited` reports why a process we spawned is gone, so we fail at once instead of at the deadline.
 * @returns {Promise<{ state: string, detail?: string }>} the last probe result (ready, or why not)
 */
export async function waitUntilReady(probe, { timeoutMs, intervalMs = 100, exited }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await probe();
    if (outcome.state === "ready" || outcome.state === "broken") return outcome;
    const gone = exited?.();
    // A spawned process that exited may have handed over to a daemon (redis --daemonize): one more probe decides.
    if (gone !== undefined) {
      const last = await probe();
      if (last.state === "ready") return last;
      return { state: "exited", detail: gone };
    }
    if (Date.now() >= deadline) return outcome;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Seconds since `startedAt` with one decimal, for the status line. */
export function secondsSince(startedAt) {
  return `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
}
