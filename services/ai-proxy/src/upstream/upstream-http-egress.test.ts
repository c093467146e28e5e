/**
 * The gateway's upstream client enforces the egress policy when it connects, on the resolved address: a provider
 * saved under a name that pointed elsewhere is refused once DNS answers loopback and private upstreams are off.
 * A real local upstream server; the resolver is the test's, so "DNS changes after saving" is under its control.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LookupFunction } from "@thinkwatch/egress";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUpstreamHttp } from "./upstream-http.js";

let server: Server;
let port: number;
const dns = new Map<string, string>();
const lookup = ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
  const address = dns.get(hostname);
  if (address === undefined) callback(Object.assign(new Error(`no record for ${hostname}`), { code: "ENOTFOUND" }));
  else callback(null, [{ address, family: 4 }]);
}) as unknown as LookupFunction;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const TIMEOUTS = { connectMs: 5000, firstByteMs: 5000, idleMs: 5000, totalMs: 10_000 };

describe("upstream egress at connect time", () => {
  it("refuses a name that now resolves to loopback when private upstreams are off", async () => {
    const policy = { allowPrivate: false };
    const upstream = createUpstreamHttp({ timeouts: () => TIMEOUTS, egress: () => policy, lookup });
    // At save time the name pointed at a public address (the URL check passes); DNS now answers loopback.
    dns.set("llm.models.test", "203.0.113.10");
    dns.set("llm.models.test", "127.0.0.1");
    await expect(
      upstream.send({ url: `http://llm.models.test:${port}/v1/chat/completions`, method: "POST", headers: {}, body: "{}" }),
    ).rejects.toMatchObject({
      code: "upstream_error",
      message: "cannot reach the upstream provider (ERR_EGRESS_DENIED)",
    });
    await upstream.close();
  });

  it("connects to the same loopback upstream while private upstreams are allowed", async () => {
    dns.set("llm.models.test", "127.0.0.1");
    const upstream = createUpstreamHttp({
      timeouts: () => TIMEOUTS,
      egress: () => ({ allowPrivate: true }),
      lookup,
    });
    const response = await upstream.send({
      url: `http://llm.models.test:${port}/v1/chat/completions`,
      method: "POST",
      headers: {},
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(await response.body.text()).toBe('{"ok":true}');
    await upstream.close();
  });
});
