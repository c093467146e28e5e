/** The egress-checked fetch against a real local HTTP server, with a resolver the test controls. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LookupFunction } from "./egress-connector.js";
import { createEgressFetch } from "./egress-fetch.js";

let server: Server;
let port: number;
let requests = 0;
const lookup = ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
  const address = hostname === "metadata-alias.test" ? "169.254.169.254" : "127.0.0.1";
  callback(null, [{ address, family: 4 }]);
}) as unknown as LookupFunction;

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests += 1;
    res.end("answered");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("egress-checked fetch", () => {
  it("fetches from an allowed address", async () => {
    const egress = createEgressFetch({ policy: () => ({ allowPrivate: true }), lookup });
    const response = await egress.fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe("answered");
    await egress.close();
  });

  it.each([
    ["a link-local literal", "http://169.254.169.254/token", true, "egress refused: 169.254.169.254 is link-local"],
    ["a name resolving to link-local", "http://metadata-alias.test/token", true, "egress refused: metadata-alias.test resolves"],
    ["loopback with private upstreams off", "http://127.0.0.1:PORT/token", false, "egress refused: 127.0.0.1 is loopback"],
  ])("throws the refusal itself (not fetch's TypeError) for %s", async (_name, url, allowPrivate, message) => {
    const egress = createEgressFetch({ policy: () => ({ allowPrivate }), lookup });
    const failure = await egress.fetch(url.replace("PORT", String(port))).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(failure).toMatchObject({ name: "EgressDeniedError", code: "ERR_EGRESS_DENIED" });
    expect(failure).not.toBeInstanceOf(TypeError);
    expect(String((failure as Error).message)).toContain(message);
    await egress.close();
  });

  it("judges every request under the policy of its moment, even to a host it just reached", async () => {
    const policy = { allowPrivate: true };
    const egress = createEgressFetch({ policy: () => policy, lookup });
    expect(await (await egress.fetch(`http://127.0.0.1:${port}/`)).text()).toBe("answered");
    policy.allowPrivate = false;
    const before = requests;
    await expect(egress.fetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: "ERR_EGRESS_DENIED" });
    expect(requests).toBe(before);
    await egress.close();
  });

  it("sends nothing to a refused name that resolves to the local server", async () => {
    const before = requests;
    const egress = createEgressFetch({ policy: () => ({ allowPrivate: false }), lookup });
    await expect(egress.fetch(`http://local-alias.test:${port}/`)).rejects.toMatchObject({ code: "ERR_EGRESS_DENIED" });
    expect(requests).toBe(before);
    await egress.close();
  });
});
