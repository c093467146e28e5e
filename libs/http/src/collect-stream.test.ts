import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { collectStream } from "./collect-stream.js";

const closedEarly = () => new Error("closed early");

describe("collectStream", () => {
  it("gives the chunks joined, through finish", async () => {
    const stream = new PassThrough();
    const read = collectStream(stream, { closedEarly, finish: (bytes) => bytes.toString("utf8") });
    stream.write("hel");
    stream.end("lo");
    await expect(read).resolves.toBe("hello");
  });

  it("refuses the body when onChunk throws, and drains the rest", async () => {
    const stream = new PassThrough();
    let seen = 0;
    const read = collectStream(stream, {
      closedEarly,
      finish: (bytes) => bytes,
      onChunk: (chunk) => {
        seen += chunk.length;
        if (seen > 4) throw new Error("too large");
      },
    });
    stream.write("abc");
    stream.write("def");
    await expect(read).rejects.toThrow("too large");
    stream.end("more");
    expect(stream.readableFlowing).toBe(true);
  });

  it("rejects with closedEarly when the stream is destroyed before its end, mapped by failed", async () => {
    const stream = new PassThrough();
    const read = collectStream(stream, {
      closedEarly,
      finish: (bytes) => bytes,
      failed: (caught) => new Error(`mapped: ${(caught as Error).message}`),
    });
    stream.write("partial");
    stream.destroy();
    await expect(read).rejects.toThrow("mapped: closed early");
  });

  it("rejects with the stream's own error", async () => {
    const stream = new PassThrough();
    const read = collectStream(stream, { closedEarly, finish: (bytes) => bytes });
    stream.destroy(new Error("socket reset"));
    await expect(read).rejects.toThrow("socket reset");
  });
});
