/** Bad input at the gateway gets a 4xx in OpenAI's error shape — never a 5xx, a hang or a crash. */
import { type FleetProcess, type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BODY_LIMIT = 64 * 1024;

let scenario: GatewayScenario;
let fleet: FleetProcess;
let key: string;
let restrictedKey: string;
let mcpOnlyKey: string;

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai"], env: { GATEWAY_MAX_BODY_BYTES: String(BODY_LIMIT) } });
  ({ fleet } = scenario);
  await scenario.addProvider("openai");
  key = await scenario.createKey({ name: "all models" });
  restrictedKey = await scenario.createKey({ name: "mini only", allowedModels: ["gpt-4o-mini"] });
  mcpOnlyKey = await scenario.createKey({ name: "mcp only", surfaces: ["mcp_gateway"] });
  await waitFor(
    async () => (await chat(key, { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })).status === 200,
    { what: "the provider to be routable" },
  );
});

afterAll(async () => {
  await scenario?.close();
});

async function chat(apiKey: string | null, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${fleet.gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const openAiError = (message: string, type: string, code: string, param: string | null = null) => ({
  error: { message, type, param, code },
});

describe("bad input at /v1/chat/completions", () => {
  it.each([
    [
      "malformed JSON",
      () => chat(key, '{"model": "gpt-4o-mini", "messages": [}'),
      400,
      openAiError(expect.stringMatching(/^request body is not valid JSON: /), "invalid_request_error", "bad_request"),
    ],
    [
      "an empty body",
      () => chat(key, ""),
      400,
      openAiError("request body is empty; expected a JSON object", "invalid_request_error", "bad_request"),
    ],
    [
      "a missing key",
      () => chat(null, { model: "gpt-4o-mini", messages: [] }),
      401,
      openAiError(
        "missing API key: send a ThinkWatch key (tw-…) as Authorization: Bearer, x-api-key, x-goog-api-key or api-key",
        "authentication_error",
        "unauthenticated",
      ),
    ],
    [
      "an unknown key",
      () => chat(`tw-${"x".repeat(40)}`, { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
      401,
      openAiError("invalid API key", "authentication_error", "invalid_api_key"),
    ],
    [
      "a provider key instead of a ThinkWatch key",
      () => chat("sk-proj-abcdef", { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
      401,
      openAiError("invalid API key", "authentication_error", "invalid_api_key"),
    ],
    [
      "a body over the configured limit",
      () => chat(key, { model: "gpt-4o-mini", messages: [{ role: "user", content: "x".repeat(BODY_LIMIT) }] }),
      413,
      openAiError(
        expect.stringMatching(/^request body is \d+ bytes; the limit is 65536 bytes$/),
        "invalid_request_error",
        "payload_too_large",
      ),
    ],
    [
      "a JSON array instead of an object",
      () => chat(key, "[1,2]"),
      400,
      openAiError("invalid request: the body must be a JSON object", "invalid_request_error", "validation_failed"),
    ],
    [
      "a model of the wrong type",
      () => chat(key, { model: 42, messages: [{ role: "user", content: "hi" }] }),
      400,
      openAiError("invalid request: model must be string (got 42)", "invalid_request_error", "validation_failed", "model"),
    ],
    [
      "messages missing",
      () => chat(key, { model: "gpt-4o-mini" }),
      400,
      openAiError("invalid request: messages is required", "invalid_request_error", "validation_failed", "messages"),
    ],
    [
      "stream of the wrong type",
      () => chat(key, { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: "yes" }),
      400,
      openAiError('invalid request: stream must be boolean (got "yes")', "invalid_request_error", "validation_failed", "stream"),
    ],
    [
      "an unknown model",
      () => chat(key, { model: "no-such-model", messages: [{ role: "user", content: "hi" }] }),
      404,
      openAiError(
        "the model 'no-such-model' does not exist or no provider serves it",
        "invalid_request_error",
        "model_not_found",
      ),
    ],
    [
      "a model the key may not use",
      () => chat(restrictedKey, { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
      403,
      openAiError("this API key may not use the model 'gpt-4o'", "permission_error", "forbidden"),
    ],
    [
      "a key not enabled for the AI gateway",
      () => chat(mcpOnlyKey, { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
      403,
      openAiError("this API key is not enabled for the AI gateway", "permission_error", "forbidden"),
    ],
  ])("%s", async (_label, send, status, body) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body).toEqual(body);
  });

  it("accepts the key from x-api-key and api-key too", async () => {
    const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };
    expect((await chat(null, body, { "x-api-key": key })).status).toBe(200);
    expect((await chat(null, body, { "api-key": key })).status).toBe(200);
  });

  it("is still healthy after all of that", async () => {
    const response = await fetch(`${fleet.gatewayUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(fleet.output()).not.toMatch(/"level":"(error|fatal)"/);
  });
});
