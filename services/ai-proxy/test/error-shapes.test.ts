/**
 * Errors in the shape of the API that was called, with the right status — for bad input, routing and permission
 * failures, upstream errors, and upstreams that die in the middle of a stream (which must end the client's stream
 * with that API's error event, never hang).
 */
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { type FakeUpstream, type FleetProcess, type GatewayScenario, startGatewayScenario, waitFor } from "@thinkwatch/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let scenario: GatewayScenario;
let fleet: FleetProcess;
let openaiFake: FakeUpstream;
let anthropicFake: FakeUpstream;
let key: string;
let narrowKey: string;

beforeAll(async () => {
  scenario = await startGatewayScenario({ fakes: ["openai", "anthropic"] });
  ({ fleet } = scenario);
  openaiFake = scenario.fake("openai");
  anthropicFake = scenario.fake("anthropic");
  await scenario.addProvider("openai");
  await scenario.addProvider("anthropic");
  key = await scenario.createKey({ name: "errors" });
  narrowKey = await scenario.createKey({ name: "narrow", allowedModels: ["gpt-4o-mini"] });
  await waitFor(
    async () =>
      (await post("/v1/chat/completions", { model: "claude-haiku-5-5", messages: [{ role: "user", content: "hi" }] })).status ===
      200,
    { what: "routing" },
  );
});

afterAll(async () => {
  await scenario?.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${key}` }) {
  const response = await fetch(`${fleet.gatewayUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: (() => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    })(),
  };
}

const anthropicError = (type: string, message: unknown) => ({ type: "error", error: { type, message } });
const geminiError = (code: number, status: string, message: unknown) => ({ error: { code, status, message } });

describe("Anthropic Messages errors", () => {
  const messages = [{ role: "user", content: "hi" }];
  it.each([
    [
      "malformed JSON",
      "{nope",
      400,
      anthropicError("invalid_request_error", expect.stringMatching(/^request body is not valid JSON/)),
    ],
    [
      "missing max_tokens",
      { model: "claude-haiku-5-5", messages },
      400,
      anthropicError("invalid_request_error", "invalid request: max_tokens is required"),
    ],
    [
      "messages of the wrong type",
      { model: "claude-haiku-5-5", max_tokens: 10, messages: "hi" },
      400,
      anthropicError("invalid_request_error", expect.stringContaining("messages must be array")),
    ],
    [
      "an unknown model",
      { model: "nobody-1", max_tokens: 10, messages },
      404,
      anthropicError("not_found_error", "the model 'nobody-1' does not exist or no provider serves it"),
    ],
  ])("%s", async (_label, body, status, expected) => {
    const response = await post("/v1/messages", body, { "x-api-key": key, "anthropic-version": "2023-06-01" });
    expect(response.status).toBe(status);
    expect(response.json).toEqual(expected);
  });

  it("refuses a model the key may not use, and a missing key, in Anthropic's shape", async () => {
    const denied = await post(
      "/v1/messages",
      { model: "claude-haiku-5-5", max_tokens: 10, messages },
      { "x-api-key": narrowKey },
    );
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual(anthropicError("permission_error", "this API key may not use the model 'claude-haiku-5-5'"));
    const anonymous = await post("/v1/messages", { model: "claude-haiku-5-5", max_tokens: 10, messages }, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual(anthropicError("authentication_error", expect.stringMatching(/^missing API key/)));
  });

  it("answers count_tokens errors in Anthropic's shape too", async () => {
    const response = await post("/v1/messages/count_tokens", { model: "nobody-1", messages }, { "x-api-key": key });
    expect(response.status).toBe(404);
    expect(response.json).toEqual(
      anthropicError("not_found_error", "the model 'nobody-1' does not exist or no provider serves it"),
    );
  });
});

describe("OpenAI Responses errors", () => {
  it.each([
    ["malformed JSON", "{nope", 400, "bad_request"],
    ["input of the wrong type", { model: "gpt-4o-mini", input: 42 }, 400, "validation_failed"],
    ["an unknown model", { model: "nobody-1", input: "hi" }, 404, "model_not_found"],
  ])("%s", async (_label, body, status, code) => {
    const response = await post("/v1/responses", body);
    expect(response.status).toBe(status);
    expect(response.json).toMatchObject({ error: { type: expect.any(String), code, message: expect.any(String) } });
  });
});

describe("Gemini errors", () => {
  const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
  it.each([
    [
      "an unknown model",
      "/v1beta/models/nobody-1:generateContent",
      body,
      404,
      geminiError(404, "NOT_FOUND", "the model 'nobody-1' does not exist or no provider serves it"),
    ],
    [
      "malformed JSON",
      "/v1beta/models/gpt-4o-mini:generateContent",
      "{nope",
      400,
      geminiError(400, "INVALID_ARGUMENT", expect.stringMatching(/^request body is not valid JSON/)),
    ],
    [
      "contents of the wrong type",
      "/v1beta/models/gpt-4o-mini:generateContent",
      { contents: "hi" },
      400,
      geminiError(400, "INVALID_ARGUMENT", expect.stringContaining("contents")),
    ],
    [
      "an unknown method",
      "/v1beta/models/gpt-4o-mini:teleport",
      body,
      404,
      geminiError(404, "NOT_FOUND", expect.stringMatching(/^unknown method 'teleport'/)),
    ],
  ])("%s", async (_label, path, payload, status, expected) => {
    const response = await post(path, payload, { "x-goog-api-key": key });
    expect(response.status).toBe(status);
    expect(response.json).toEqual(expected);
  });

  it("takes the key from ?key= and refuses a missing one in Google's shape", async () => {
    const withQuery = await post(`/v1beta/models/gpt-4o-mini:generateContent?key=${key}`, body, {});
    expect(withQuery.status).toBe(200);
    const anonymous = await post("/v1beta/models/gpt-4o-mini:generateContent", body, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual(geminiError(401, "UNAUTHENTICATED", expect.stringMatching(/^missing API key/)));
  });
});

describe("upstream errors", () => {
  it("passes a same-format 4xx through and maps a 5xx to 502 in the caller's shape", async () => {
    openaiFake.script({ error: { status: 400, message: "bad things" } });
    const passed = await post("/v1/chat/completions", { model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
    expect(passed.status).toBe(400);
    expect(passed.json).toMatchObject({ error: { message: "bad things" } });
    // A 5xx is retried (default: 2 retries), so the upstream fails every attempt here.
    anthropicFake.failNext(3, { error: { status: 529, message: "overloaded" } });
    const failed = await post("/v1/chat/completions", { model: "claude-haiku-5-5", messages: [{ role: "user", content: "x" }] });
    expect(failed.status).toBe(502);
    expect(failed.json).toMatchObject({ error: { type: "server_error", code: "upstream_error" } });
  });

  it("does not blame the caller when the provider refuses the gateway's own credentials", async () => {
    anthropicFake.script({ error: { status: 401, message: "invalid x-api-key" } });
    const response = await post(
      "/v1/messages",
      { model: "claude-haiku-5-5", max_tokens: 5, messages: [{ role: "user", content: "x" }] },
      { "x-api-key": key },
    );
    expect(response.status).toBe(502);
    expect(response.json).toEqual(
      anthropicError("api_error", expect.stringContaining("refused the gateway's credentials (HTTP 401)")),
    );
  });
});

describe("an upstream that dies mid-stream", () => {
  const lastEvent = (text: string) =>
    text
      .trim()
      .split(/\r?\n\r?\n/)
      .at(-1) ?? "";

  it("ends an OpenAI stream with an error chunk, which the SDK raises", async () => {
    anthropicFake.script({ text: "one two three four five six", dieMidStreamAfterChunks: 3 });
    const raw = await post("/v1/chat/completions", {
      model: "claude-haiku-5-5",
      stream: true,
      messages: [{ role: "user", content: "x" }],
    });
    expect(raw.status).toBe(200);
    expect(JSON.parse(lastEvent(raw.text).replace(/^data: /, ""))).toMatchObject({ error: { code: "upstream_error" } });
    anthropicFake.script({ text: "one two three four five six", dieMidStreamAfterChunks: 3 });
    const client = new OpenAI({ apiKey: key, baseURL: `${fleet.gatewayUrl}/v1`, maxRetries: 0 });
    const consume = async () => {
      const stream = await client.chat.completions.create({
        model: "claude-haiku-5-5",
        stream: true,
        messages: [{ role: "user", content: "x" }],
      });
      for await (const _chunk of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow();
  });

  it("ends an Anthropic stream with `event: error`, which the SDK raises", async () => {
    openaiFake.script({ text: "one two three four five six", dieMidStreamAfterChunks: 3 });
    const raw = await post(
      "/v1/messages",
      { model: "gpt-4o-mini", max_tokens: 50, stream: true, messages: [{ role: "user", content: "x" }] },
      { "x-api-key": key },
    );
    expect(lastEvent(raw.text)).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
    openaiFake.script({ text: "one two three four five six", dieMidStreamAfterChunks: 3 });
    const client = new Anthropic({ apiKey: key, baseURL: fleet.gatewayUrl, maxRetries: 0 });
    await expect(
      client.messages.stream({ model: "gpt-4o-mini", max_tokens: 50, messages: [{ role: "user", content: "x" }] }).finalMessage(),
    ).rejects.toThrow();
  });

  it("ends a Responses stream with response.failed, and a Gemini stream with an error chunk", async () => {
    openaiFake.script({ text: "one two three four five six", dieMidStreamAfterChunks: 3 });
    const responses = await post("/v1/responses", { model: "gpt-4o-mini", stream: true, input: "x" });
    expect(responses.text).toContain("event: response.failed");
    openaiFake.script({ text: "one two three four five six", dieMidStreamAfterChunks: 3 });
    const gemini = await post(
      "/v1beta/models/gpt-4o-mini:streamGenerateContent?alt=sse",
      { contents: [{ role: "user", parts: [{ text: "x" }] }] },
      { "x-goog-api-key": key },
    );
    expect(JSON.parse(lastEvent(gemini.text).replace(/^data: /, ""))).toMatchObject({
      error: { code: 502, status: expect.any(String) },
    });
    openaiFake.script({ text: "one two three four five six", dieMidStreamAfterChunks: 3 });
    const ai = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: fleet.gatewayUrl } });
    const consume = async () => {
      for await (const _chunk of await ai.models.generateContentStream({ model: "gpt-4o-mini", contents: "x" })) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow();
  });
});
