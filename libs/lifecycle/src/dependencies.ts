/** Startup dependency validation: probe every distinct dependency at once and report each failure on one line. */
import type { DependencyProbe } from "./service.js";

export interface DependencyProblem {
  variable: string;
  line: string;
}

export async function checkDependencies(probes: DependencyProbe[], timeoutMs = 5000): Promise<DependencyProblem[]> {
  const unique = new Map<string, DependencyProbe>();
  for (const probe of probes) if (!unique.has(probe.variable)) unique.set(probe.variable, probe);
  const results = await Promise.all(
    [...unique.values()].map(async (probe) => {
      try {
        await withTimeout(probe.check(), timeoutMs);
        return null;
      } catch (caught) {
        const reason = describeFailure(caught);
        return {
          variable: probe.variable,
          line: `${probe.variable}: cannot reach ${probe.describe} (${reason}). ${probe.remedy}`,
        };
      }
    }),
  );
  return results.filter((r): r is DependencyProblem => r !== null);
}

function describeFailure(caught: unknown): string {
  const error = caught as { code?: unknown; message?: unknown; errors?: unknown[] };
  if (Array.isArray(error.errors) && error.errors.length > 0) return describeFailure(error.errors[0]);
  if (typeof error.code === "string" && /^E[A-Z]+$/.test(error.code)) return error.code;
  const message = typeof error.message === "string" && error.message !== "" ? error.message : String(caught);
  return message.split("\n")[0]?.slice(0, 200) ?? "unknown error";
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
