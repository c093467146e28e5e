/**
 * OIDC requests pass the egress policy: discovery of an issuer whose name resolves to a link-local (cloud metadata)
 * address is refused before connecting, and so is a later request to an endpoint a (loopback) discovery document
 * names on such an address. A real local IdP document; the resolver is the test's.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEgressFetch, type EgressFetch, type LookupFunction } from "@thinkwatch/egress";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discover, IDP_EGRESS_POLICY } from "./oidc-discovery.js";

let idp: Server;
let issuer: string;
let egress: EgressFetch;
const lookup = ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
  callback(null, [{ address: hostname === "idp.example.test" ? "169.254.169.254" : "127.0.0.1", family: 4 }]);
}) as unknown as LookupFunction;

beforeAll(async () => {
  idp = createServer((req, res) => {
    if (req.url !== "/.well-known/openid-configuration") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: "http://169.254.169.254/token",
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      }),
    );
  });
  await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  egress = createEgressFetch({ policy: () => IDP_EGRESS_POLICY, lookup });
});

afterAll(async () => {
  await egress.close();
  await new Promise((resolve) => idp.close(resolve));
});

describe("OIDC discovery through the egress policy", () => {
  it("refuses an issuer whose name resolves to a link-local address", async () => {
    const target = { issuer: "https://idp.example.test", clientId: "console", clientSecret: "secret" };
    await expect(discover(target, egress.fetch)).rejects.toMatchObject({
      code: "upstream_error",
      message: expect.stringContaining(
        "OIDC discovery at https://idp.example.test failed: egress refused: idp.example.test resolves to 169.254.169.254 is link-local (cloud metadata)",
      ),
    });
  });

  it("refuses a token request to an endpoint the discovery document names on a link-local address", async () => {
    const config = await discover({ issuer, clientId: "console", clientSecret: "secret" }, egress.fetch);
    expect(config.serverMetadata().token_endpoint).toBe("http://169.254.169.254/token");
    client.allowInsecureRequests(config);
    await expect(client.clientCredentialsGrant(config)).rejects.toMatchObject({
      cause: {
        code: "ERR_EGRESS_DENIED",
        message: "egress refused: 169.254.169.254 is link-local (cloud metadata), which upstreams may never use",
      },
    });
  });
});
