import { describe, expect, it } from "vitest";
import { jsonEachRow, ROWS_PER_SLICE } from "./json-each-row.js";

const read = async (stream: NodeJS.ReadableStream) => {
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(String(chunk));
  return chunks;
};

describe("jsonEachRow", () => {
  it("encodes one JSON object per line, every row in order", async () => {
    const rows = Array.from({ length: ROWS_PER_SLICE * 2 + 7 }, (_, i) => ({ id: i, label: `r"${i}` }));
    const text = (await read(jsonEachRow(rows))).join("");
    expect(text.endsWith("\n")).toBe(true);
    expect(
      text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual(rows);
  });

  it("encodes a slice per turn of the event loop, so a large batch never holds the loop", async () => {
    const rows = Array.from({ length: ROWS_PER_SLICE * 4 }, (_, i) => ({ id: i }));
    const stream = jsonEachRow(rows);
    const seen: number[] = [];
    let ended = false;
    stream.on("data", (chunk: Buffer) => seen.push(chunk.toString().trimEnd().split("\n").length));
    stream.on("end", () => {
      ended = true;
    });
    // One turn later only the first slices are out: the rest waits for later turns.
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false);
    expect(seen.reduce((a, b) => a + b, 0)).toBeLessThan(rows.length);
    await new Promise((resolve) => stream.on("end", resolve));
    expect(seen).toEqual([ROWS_PER_SLICE, ROWS_PER_SLICE, ROWS_PER_SLICE, ROWS_PER_SLICE]);
  });

  it("fails the stream with the reason when a row cannot be encoded", async () => {
    const error = await read(jsonEachRow([{ id: 1 }, { id: 2n }])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/BigInt/);
  });

  it("stops encoding once its reader has gone away", async () => {
    const rows = Array.from({ length: ROWS_PER_SLICE * 3 }, (_, i) => ({ id: i }));
    const stream = jsonEachRow(rows);
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stream.destroyed).toBe(true);
    expect(stream.writableEnded).toBe(false);
  });
});
