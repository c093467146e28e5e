/** The connector against a real local HTTP server, with a resolver the test controls (a DNS change after saving). */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEgressConnector, type LookupFunction } from "./egress-connector.js";

let server: Server;
let port: number;
const records = new Map<string, string>();
const lookup = ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
  const address = records.get(hostname);
  if (address === undefined) callback(Object.assign(new Error(`no record for ${hostname}`), { code: "ENOTFOUND" }));
  else callback(null, [{ address, family: address.includes(":") ? 6 : 4 }]);
}) as unknown as LookupFunction;

beforeAll(async () => {
  server = createServer((_req, res) => res.end("upstream answered"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function agentWith(allowPrivate: { value: boolean }) {
  return new Agent({ connect: createEgressConnector({ policy: () => ({ allowPrivate: allowPrivate.value }), lookup }) });
}

async function get(agent: Agent, url: string): Promise<string> {
  const response = await request(url, { dispatcher: agent });
  return response.body.text();
}

describe("egress connector", () => {
  it("connects to a name that resolves to loopback while private upstreams are allowed", async () => {
    records.set("llm.test", "127.0.0.1");
    const agent = agentWith({ value: true });
    await expect(get(agent, `http://llm.test:${port}/`)).resolves.toBe("upstream answered");
    await agent.close();
  });

  it("refuses the same name once it resolves to loopback and private upstreams are off", async () => {
    // Saved while the name pointed at a public address; DNS now answers loopback.
    records.set("rebind.test", "203.0.113.7");
    const policy = { value: false };
    const agent = agentWith(policy);
    records.set("rebind.test", "127.0.0.1");
    await expect(get(agent, `http://rebind.test:${port}/`)).rejects.toMatchObject({
      code: "ERR_EGRESS_DENIED",
      message:
        "egress refused: rebind.test resolves to 127.0.0.1 is loopback and private upstreams are not allowed (security.allowPrivateUpstreams)",
    });
    await agent.close();
  });

  it("applies a policy change to the next connection of the same agent", async () => {
    records.set("switch.test", "127.0.0.1");
    const policy = { value: true };
    const agent = agentWith(policy);
    // reset: the socket closes after this request, so the next one must connect (and be judged) again.
    const first = await request(`http://switch.test:${port}/`, { dispatcher: agent, reset: true });
    expect(await first.body.text()).toBe("upstream answered");
    policy.value = false;
    await expect(get(agent, `http://switch.test:${port}/`)).rejects.toMatchObject({ code: "ERR_EGRESS_DENIED" });
    await agent.close();
  });

  it("refuses an IP literal in a blocked range without resolving anything", async () => {
    const agent = agentWith({ value: true });
    await expect(get(agent, "http://169.254.169.254/latest/meta-data")).rejects.toMatchObject({
      code: "ERR_EGRESS_DENIED",
      message: "egress refused: 169.254.169.254 is link-local (cloud metadata), which upstreams may never use",
    });
    await agent.close();
  });

  it("refuses when any of several answers is in a blocked range", async () => {
    const mixed = ((_h: string, _o: unknown, callback: (...args: unknown[]) => void) =>
      callback(null, [
        { address: "127.0.0.1", family: 4 },
        { address: "169.254.169.254", family: 4 },
      ])) as unknown as LookupFunction;
    const agent = new Agent({ connect: createEgressConnector({ policy: () => ({ allowPrivate: true }), lookup: mixed }) });
    await expect(get(agent, `http://mixed.test:${port}/`)).rejects.toMatchObject({ code: "ERR_EGRESS_DENIED" });
    await agent.close();
  });
});
