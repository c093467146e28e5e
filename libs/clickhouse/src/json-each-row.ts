/**
 * Rows as JSONEachRow bytes for an insert body, encoded a slice at a time with a turn of the event loop between
 * slices: a batch of thousands of rows encoded in one go would hold the loop for milliseconds, and every request of
 * a process that also serves the gateway would wait on it.
 */
import { PassThrough } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";

export const ROWS_PER_SLICE = 128;

export function jsonEachRow(rows: readonly Record<string, unknown>[]): PassThrough {
  const out = new PassThrough();
  const produce = async () => {
    for (let start = 0; start < rows.length; start += ROWS_PER_SLICE) {
      if (start > 0) await nextTurn();
      // The request failed meanwhile (the client destroys its body): its error reaches the caller of insert.
      if (out.destroyed) return;
      let text = "";
      for (const row of rows.slice(start, start + ROWS_PER_SLICE)) text += `${JSON.stringify(row)}\n`;
      out.write(text);
    }
    out.end();
  };
  // A row that cannot be encoded fails the insert with its reason.
  produce().catch((caught: unknown) => out.destroy(caught instanceof Error ? caught : new Error(String(caught))));
  return out;
}
