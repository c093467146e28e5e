import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./index.js";

describe("log lines without tracing", () => {
  it("carry the line's own fields and no trace fields, line after line", () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger({
      service: "test",
      destination: new Writable({
        write(chunk, _enc, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    });
    log.info({ dir: "/tmp" }, "first");
    log.child({ requestId: "r1" }).warn({ count: 2 }, "second");
    expect(lines).toMatchObject([
      { service: "test", dir: "/tmp", msg: "first" },
      { service: "test", requestId: "r1", count: 2, msg: "second" },
    ]);
    expect(lines.some((line) => "traceId" in line)).toBe(false);
  });
});
