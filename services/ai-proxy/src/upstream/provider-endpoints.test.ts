import { describe, expect, it } from "vitest";
import type { ResolvedProvider } from "../routing/model-router.js";
import { type EndpointInput, PROVIDER_ENDPOINTS } from "./provider-endpoints.js";

function provider(overrides: Partial<ResolvedProvider>): ResolvedProvider {
  return {
    id: "p1",
    name: "upstream",
    kind: "openai",
    baseUrl: "https://api.example.test/v1/",
    apiKeyEncrypted: "ciphertext",
    apiKey: "sk-one",
    settings: {},
    secretHeadersEncrypted: null,
    ...overrides,
  };
}

const input = (p: ResolvedProvider, extra: Partial<EndpointInput> = {}): EndpointInput => ({
  provider: p,
  upstreamModel: "gpt-4o",
  stream: false,
  operation: "generate",
  body: new TextEncoder().encode("{}"),
  ...extra,
});

describe("provider endpoints", () => {
  it("builds the same request each time for one provider, without its trailing slash", () => {
    const p = provider({ settings: { headers: { "x-org": "acme", ignored: 7 } } });
    for (let i = 0; i < 2; i++) {
      const built = PROVIDER_ENDPOINTS.openai.build(input(p, { passQuery: "?beta=true" }));
      expect(built.url).toBe("https://api.example.test/v1/chat/completions?beta=true");
      expect(built.headers).toEqual({
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "x-org": "acme",
        authorization: "Bearer sk-one",
      });
    }
  });

  it("reads each provider object's own base URL, headers and key (a new routing table brings new objects)", () => {
    const before = provider({ settings: { headers: { "x-org": "acme" } } });
    const after = provider({
      baseUrl: "https://other.example.test",
      apiKey: "sk-two",
      settings: { headers: { "x-org": "globex" } },
    });
    expect(PROVIDER_ENDPOINTS.openai.build(input(before)).url).toBe("https://api.example.test/v1/chat/completions");
    const built = PROVIDER_ENDPOINTS.openai.build(input(after));
    expect(built.url).toBe("https://other.example.test/chat/completions");
    expect(built.headers["x-org"]).toBe("globex");
    expect(built.headers.authorization).toBe("Bearer sk-two");
  });

  it("gives every request its own headers object, so one request's additions never reach another", () => {
    const p = provider({ kind: "anthropic", baseUrl: "https://anthropic.example.test", settings: {} });
    const first = PROVIDER_ENDPOINTS.anthropic.build(input(p, { passHeaders: { "anthropic-beta": "tools-2024" } }));
    const second = PROVIDER_ENDPOINTS.anthropic.build(input(p));
    expect(first.headers["anthropic-beta"]).toBe("tools-2024");
    expect(second.headers["anthropic-beta"]).toBeUndefined();
    expect(first.headers).not.toBe(second.headers);
    expect(second.url).toBe("https://anthropic.example.test/v1/messages");
  });
});
