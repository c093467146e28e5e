/**
 * The heap of a process under test, measured from outside through the V8 inspector (start the process with
 * `--inspect=127.0.0.1:<port>`): force a full garbage collection, then read `process.memoryUsage().heapUsed` —
 * what the process still holds, without a debug hook in the code under test.
 */
import { WebSocket } from "undici";
import { waitFor } from "./wait-for.js";

export interface HeapProbe {
  /** Bytes of heap in use after a forced full garbage collection. */
  heapUsedAfterGc(): Promise<number>;
  close(): void;
}

export async function connectHeapProbe(inspectorPort: number): Promise<HeapProbe> {
  let target: string | null = null;
  await waitFor(
    async () => {
      const list = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as Array<{
        webSocketDebuggerUrl?: string;
      }>;
      target = list[0]?.webSocketDebuggerUrl ?? null;
      return target !== null;
    },
    { what: "the inspector of the process under test", timeoutMs: 10_000 },
  );
  const socket = new WebSocket(target as unknown as string);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error("cannot reach the inspector")), { once: true });
  });
  let next = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      next += 1;
      waiting.set(next, resolve);
      socket.send(JSON.stringify({ id: next, method, params }));
    });
  return {
    async heapUsedAfterGc() {
      // Twice: objects freed by the first collection's finalizers go in the second.
      await call("HeapProfiler.collectGarbage");
      await call("HeapProfiler.collectGarbage");
      const answer = (await call("Runtime.evaluate", {
        expression: "process.memoryUsage().heapUsed",
        returnByValue: true,
      })) as { result: { value: number } };
      return answer.result.value;
    },
    close: () => socket.close(),
  };
}
