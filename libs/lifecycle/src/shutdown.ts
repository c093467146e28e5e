/** Ordered shutdown: steps run once, last registered first, each bounded by the remaining deadline. */
import type { Logger } from "@thinkwatch/log";

export interface Shutdown {
  /** Register a step; steps run in reverse order of registration. */
  add(name: string, step: (deadlineMs: number) => Promise<void>): void;
  run(reason: string): Promise<void>;
}

export function createShutdown(log: Logger, totalDeadlineMs: number): Shutdown {
  const steps: Array<{ name: string; step: (deadlineMs: number) => Promise<void> }> = [];
  let running: Promise<void> | undefined;
  return {
    add(name, step) {
      steps.push({ name, step });
    },
    run(reason) {
      running ??= (async () => {
        const deadline = Date.now() + totalDeadlineMs;
        log.info({ reason }, "shutting down");
        for (const { name, step } of [...steps].reverse()) {
          const remaining = Math.max(100, deadline - Date.now());
          try {
            await step(remaining);
          } catch (caught) {
            log.error({ err: caught, step: name }, "shutdown step failed");
          }
        }
        log.info("shutdown complete");
      })();
      return running;
    },
  };
}
