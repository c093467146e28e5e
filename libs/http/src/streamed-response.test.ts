import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createLogger } from "@thinkwatch/log";
import { Hono } from "hono";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { createHttpApp } from "./app.js";
import { type ChunkSource, streamedResponse } from "./streamed-response.js";

const log = createLogger({ service: "test", level: "silent" });

/** A source whose chunks the test hands out one by one; it records what the writer asked for. */
function scriptedSource() {
  const waiting: Array<(chunk: Uint8Array | null) => void> = [];
  const state = { asked: 0, cancelled: 0 };
  const source: ChunkSource = {
    next() {
      state.asked += 1;
      return new Promise((resolve) => waiting.push(resolve));
    },
    cancel() {
      state.cancelled += 1;
      for (const resolve of waiting.splice(0)) resolve(null);
    },
  };
  const give = async (chunk: string | null) => {
    while (waiting.length === 0) await new Promise((tick) => setTimeout(tick, 2));
    (waiting.shift() as (chunk: Uint8Array | null) => void)(chunk === null ? null : new TextEncoder().encode(chunk));
  };
  return { source, state, give };
}

/** The responses the handler returned: on the Node server, the body-less marker of a response written already. */
const returned: Response[] = [];

async function withServer(source: () => ChunkSource, run: (url: string) => Promise<void>): Promise<void> {
  const app = createHttpApp({ log });
  app.post("/stream", (c) => {
    const response = streamedResponse(
      c,
      { status: 200, headers: { "content-type": "text/event-stream", "x-kind": "direct" } },
      source(),
      () => {},
    );
    returned.push(response);
    return response;
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const created = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(created));
  });
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`);
  } finally {
    if ("closeAllConnections" in server) server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  }
}

describe("streamedResponse on the Node server", () => {
  it("sends the head before the first chunk exists, then each chunk as it comes, chunked", async () => {
    const scripted = scriptedSource();
    await withServer(
      () => scripted.source,
      async (url) => {
        // The head arrives while the source has not produced anything.
        const answer = await request(url, { method: "POST", body: "{}" });
        expect(answer.statusCode).toBe(200);
        expect(answer.headers["content-type"]).toBe("text/event-stream");
        expect(answer.headers["x-kind"]).toBe("direct");
        expect(answer.headers["transfer-encoding"]).toBe("chunked");
        expect(answer.headers["x-request-id"]).toBeUndefined();
        const reader = answer.body[Symbol.asyncIterator]();
        await scripted.give("data: one\n\n");
        expect(Buffer.from((await reader.next()).value as Buffer).toString()).toBe("data: one\n\n");
        await scripted.give("data: two\n\n");
        expect(Buffer.from((await reader.next()).value as Buffer).toString()).toBe("data: two\n\n");
        await scripted.give(null);
        expect((await reader.next()).done).toBe(true);
        expect(scripted.state.cancelled).toBe(0);
        // Written to the socket by streamedResponse itself, not handed to the server as a body.
        expect(returned.at(-1)?.body).toBeNull();
        expect(returned.at(-1)?.headers.get("x-hono-already-sent")).toBe("true");
      },
    );
  });

  it("cancels the source once when the client goes away, and asks it for nothing more", async () => {
    const scripted = scriptedSource();
    await withServer(
      () => scripted.source,
      async (url) => {
        const abort = new AbortController();
        const answer = await request(url, { method: "POST", body: "{}", signal: abort.signal });
        const reader = answer.body[Symbol.asyncIterator]();
        await scripted.give("data: one\n\n");
        await reader.next();
        abort.abort();
        await expect.poll(() => scripted.state.cancelled, { timeout: 5000 }).toBe(1);
        const asked = scripted.state.asked;
        await new Promise((settle) => setTimeout(settle, 50));
        expect(scripted.state.asked).toBe(asked);
      },
    );
  });

  it("stops asking for chunks while the client does not read (backpressure)", async () => {
    let asked = 0;
    const big = new Uint8Array(256 * 1024);
    const endless: ChunkSource = {
      next: async () => {
        asked += 1;
        return big;
      },
      cancel() {},
    };
    await withServer(
      () => endless,
      async (url) => {
        const answer = await request(url, { method: "POST", body: "{}", highWaterMark: 1 });
        await new Promise((settle) => setTimeout(settle, 300));
        const stalled = asked;
        // The socket's and the client's buffers hold a few MB at most; an unbounded writer would be at thousands.
        expect(stalled).toBeLessThan(200);
        await new Promise((settle) => setTimeout(settle, 200));
        expect(asked).toBe(stalled);
        answer.body.destroy();
      },
    );
  });
});

describe("streamedResponse with a head Node refuses", () => {
  it("cancels the source and throws, so the handler answers with the error instead", async () => {
    const scripted = scriptedSource();
    const app = createHttpApp({ log });
    let thrown: unknown;
    app.post("/stream", (c) => {
      try {
        return streamedResponse(c, { status: 200, headers: { "x-bad": "line\nbreak" } }, scripted.source, () => {});
      } catch (caught) {
        thrown = caught;
        return c.json({ error: "refused head" }, 500);
      }
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const created = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(created));
    });
    try {
      const answer = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`, {
        method: "POST",
        body: "{}",
      });
      expect(answer.statusCode).toBe(500);
      expect(await answer.body.json()).toEqual({ error: "refused head" });
      expect((thrown as { code?: string }).code).toBe("ERR_INVALID_CHAR");
      expect(scripted.state.cancelled).toBe(1);
      expect(scripted.state.asked).toBe(0);
    } finally {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    }
  });
});

describe("streamedResponse without a Node server", () => {
  it("answers with the same head and chunks as a ReadableStream body, and cancels the source with it", async () => {
    const chunks = ["a", "b"];
    const state = { cancelled: 0 };
    const app = new Hono();
    app.get("/", (c) =>
      streamedResponse(
        c,
        { status: 201, headers: { "x-kind": "web" } },
        {
          next: async () => {
            const chunk = chunks.shift();
            return chunk === undefined ? null : new TextEncoder().encode(chunk);
          },
          cancel: () => {
            state.cancelled += 1;
          },
        },
        () => {},
      ),
    );
    const whole = await app.request("/");
    expect(whole.status).toBe(201);
    expect(whole.headers.get("x-kind")).toBe("web");
    expect(await whole.text()).toBe("ab");

    chunks.push("c", "d");
    const partial = await app.request("/");
    const reader = (partial.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    expect(state.cancelled).toBe(1);
  });
});
