import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { Abort } from "./client-abort.js";

describe("Abort", () => {
  it("runs each listener once on the first abort, with a reason; a removed listener never runs", () => {
    const abort = new Abort();
    const calls: string[] = [];
    const removed = () => calls.push("removed");
    abort.addEventListener("abort", () => calls.push("first"));
    abort.addEventListener("abort", removed);
    abort.addEventListener("abort", () => calls.push("second"));
    abort.removeEventListener("abort", removed);
    expect(abort.aborted).toBe(false);
    abort.abort();
    abort.abort(new Error("again"));
    expect(calls).toEqual(["first", "second"]);
    expect(abort.aborted).toBe(true);
    expect((abort.reason as DOMException).name).toBe("AbortError");
    // Added after the abort: an AbortSignal does not call it either.
    abort.addEventListener("abort", () => calls.push("late"));
    expect(calls).toEqual(["first", "second"]);
  });

  it("cancels an undici request as its signal", async () => {
    let closedByClient = false;
    const server = createServer((req) => req.on("close", () => (closedByClient = true))); // never answers
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    const { port } = server.address() as AddressInfo;
    try {
      const abort = new Abort();
      const pending = request(`http://127.0.0.1:${port}/`, { signal: abort }).catch((e: unknown) => e);
      setTimeout(() => abort.abort(new Error("the client left")), 50);
      expect(((await pending) as Error).message).toBe("the client left");
      await new Promise((done) => setTimeout(done, 50));
      expect(closedByClient).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    }
  });
});
