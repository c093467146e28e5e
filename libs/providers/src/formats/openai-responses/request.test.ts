import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { encodeRequest } from "../../codecs/request-codecs.js";
import { decodeResponsesRequest } from "./request-decode.js";

const base = { model: "gpt-5", input: "hi" };

function validationMessage(body: unknown): string {
  try {
    decodeResponsesRequest(body);
  } catch (error) {
    expect((error as AppError).code).toBe("validation_failed");
    return (error as AppError).message;
  }
  throw new Error("expected a validation error");
}

describe("Responses request validation", () => {
  it.each([
    ["a missing input", { model: "gpt-5" }, "invalid request: input is required"],
    ["a number as input", { model: "gpt-5", input: 3 }, "input must be string | array (got 3)"],
    [
      "a message with an unknown role",
      { ...base, input: [{ role: "robot", content: "x" }] },
      'input[0].role must be one of "user" | "assistant" | "system" | "developer" (got "robot")',
    ],
    [
      "a function_call without call_id",
      { ...base, input: [{ type: "function_call", name: "f", arguments: "{}" }] },
      "input[0].call_id is required",
    ],
    ["a function tool without a name", { ...base, tools: [{ type: "function" }] }, "tools[0].name is required"],
    ["a string max_output_tokens", { ...base, max_output_tokens: "10" }, 'max_output_tokens must be number (got "10")'],
    [
      "an input_text part without text",
      { ...base, input: [{ role: "user", content: [{ type: "input_text" }] }] },
      "input[0].content[0].text is required",
    ],
  ])("names the field for %s", (_name, body, expected) => {
    expect(validationMessage(body)).toContain(expected);
  });
});

describe("Responses request decoding", () => {
  it("collects developer messages into the system prompt and restores signed reasoning from encrypted_content", () => {
    const req = decodeResponsesRequest({
      model: "gpt-5",
      input: [
        { type: "message", role: "developer", content: "Follow the rules." },
        { role: "user", content: "weather?" },
        { type: "reasoning", summary: [{ type: "summary_text", text: "call the tool" }], encrypted_content: "tw1.sig.abc" },
        { type: "function_call", call_id: "c1", name: "w", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "sunny" },
      ],
      reasoning: { effort: "medium", summary: "auto" },
      include: ["reasoning.encrypted_content"],
    });
    expect(req.system).toEqual([{ text: "Follow the rules." }]);
    expect(req.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "weather?" }] },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "call the tool", signature: "abc" },
          { type: "tool_call", id: "c1", name: "w", arguments: "{}" },
        ],
      },
      { role: "user", content: [{ type: "tool_result", toolCallId: "c1", content: [{ type: "text", text: "sunny" }] }] },
    ]);
    expect(req.reasoning).toEqual({ enabled: true, effort: "medium", includeThoughts: true });
    // The restored signature lets Anthropic keep thinking on across the tool call.
    const body = encodeRequest("anthropic_messages", req, { upstreamModel: "claude", defaultMaxTokens: 8000 });
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect((body.messages as Array<{ content: unknown[] }>)[1]?.content[0]).toEqual({
      type: "thinking",
      thinking: "call the tool",
      signature: "abc",
    });
  });

  it.each([
    [
      "previous_response_id",
      { previous_response_id: "resp_1" },
      "previous_response_id is not supported when the upstream API is openai_chat: the gateway stores no responses; send the whole conversation in input",
    ],
    ["background", { background: true }, "background is not supported when the upstream API is openai_chat"],
    [
      "an allowed_tools choice",
      { tool_choice: { type: "allowed_tools", tools: [] } },
      "tool_choice is not supported when the upstream API is openai_chat",
    ],
  ])("refuses %s for any upstream with a 400 naming it", (_name, extra, message) => {
    const req = decodeResponsesRequest({ ...base, ...extra });
    let caught: unknown;
    try {
      encodeRequest("openai_chat", req, { upstreamModel: "m" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe("bad_request");
    expect((caught as AppError).status).toBe(400);
    expect((caught as AppError).message).toContain(message);
  });

  it("leaves built-in tools and tool namespaces out for other upstreams, keeping the function tools", () => {
    const req = decodeResponsesRequest({
      ...base,
      tools: [
        { type: "function", name: "exec_command", parameters: { type: "object", properties: {} } },
        { type: "web_search" },
        {
          type: "namespace",
          name: "multi_agent_v1",
          tools: [{ type: "function", name: "close_agent", parameters: { type: "object" } }],
        },
      ],
    });
    const encoded = encodeRequest("openai_chat", req, { upstreamModel: "m" }) as { tools: Array<{ function: { name: string } }> };
    expect(encoded.tools.map((tool) => tool.function.name)).toEqual(["exec_command"]);
  });

  it("drops store, include and truncation quietly", () => {
    const req = decodeResponsesRequest({ ...base, store: false, include: ["x"], truncation: "auto", text: { verbosity: "low" } });
    expect(encodeRequest("anthropic_messages", req, { upstreamModel: "m" })).toEqual({
      model: "m",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      max_tokens: 8192,
    });
  });
});
