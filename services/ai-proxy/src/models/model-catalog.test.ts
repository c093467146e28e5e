/**
 * The upstream model lists behind GET /v1/models: fetched once, served from the cache within the TTL, served stale
 * and refreshed in the background once it has passed (the next call sees the new list), and after a failed refresh
 * the last list stays while the upstream is asked again after the shorter retry pause. A real local HTTP upstream
 * whose list the test changes; the TTLs run on a clock the test moves.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createLogger } from "@thinkwatch/log";
import { createFakeClock, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResolvedProvider } from "../routing/model-router.js";
import { createUpstreamHttp } from "../upstream/upstream-http.js";
import { createModelCatalog } from "./model-catalog.js";

const TTL_MS = 60_000;
const RETRY_MS = 5_000;
let server: Server;
let listed: string[] = ["gpt-a"];
let status = 200;
let asked = 0;
let provider: ResolvedProvider;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== "/v1/models") {
      res.writeHead(404).end();
      return;
    }
    asked++;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(status === 200 ? { object: "list", data: listed.map((id) => ({ id, object: "model" })) } : {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  provider = {
    id: "p-openai",
    name: "openai",
    kind: "openai",
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKeyEncrypted: null,
    apiKey: null,
    settings: {},
    secretHeadersEncrypted: null,
  };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the upstream model list cache", () => {
  it("refreshes a list once its TTL has passed, and retries a failed refresh after the retry pause", async () => {
    const clock = createFakeClock(1_000_000);
    const upstream = createUpstreamHttp({
      timeouts: () => ({ connectMs: 5000, firstByteMs: 5000, idleMs: 5000, totalMs: 10_000 }),
      egress: () => ({ allowPrivate: true }),
    });
    // The failed refresh is seen by its log line: it keeps the list, so the answer alone cannot tell.
    const warnings: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        warnings.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ service: "test", level: "warn", destination });
    const catalog = createModelCatalog(upstream, log, {
      ttlMs: TTL_MS,
      retryMs: RETRY_MS,
      timeoutMs: 5_000,
      now: clock,
    });
    const names = async () => (await catalog.lists([provider])).get(provider.id);

    // The first ask waits for the upstream.
    expect(await names()).toEqual(["gpt-a"]);
    expect(asked).toBe(1);

    // Within the TTL the cache answers, even though the upstream's list changed.
    listed = ["gpt-a", "gpt-b"];
    clock.advance(TTL_MS - 1);
    expect(await names()).toEqual(["gpt-a"]);
    expect(asked).toBe(1);

    // Past the TTL: the stale list is served at once and one background refresh brings the new one.
    clock.advance(1);
    expect(await names()).toEqual(["gpt-a"]);
    await waitFor(async () => ((await names())?.length === 2 ? true : null), { what: "the refreshed list" });
    expect(await names()).toEqual(["gpt-a", "gpt-b"]);
    expect(asked).toBe(2);

    // A failing refresh keeps the last list and is retried after RETRY_MS, not after a whole TTL.
    status = 500;
    clock.advance(TTL_MS);
    await names();
    await waitFor(() => warnings.some((line) => line.includes("could not list the upstream's models")), {
      what: "the failed refresh",
    });
    expect(asked).toBe(3);
    expect(await names()).toEqual(["gpt-a", "gpt-b"]);
    clock.advance(RETRY_MS - 1);
    await names();
    expect(asked).toBe(3);
    status = 200;
    listed = ["gpt-c"];
    clock.advance(1);
    await names();
    await waitFor(async () => ((await names())?.[0] === "gpt-c" ? true : null), { what: "the retried list" });
    expect(asked).toBe(4);
    await upstream.close();
  });
});
