import { describe, expect, it } from "vitest";
import type { CanonicalRequest } from "../../canonical/request.js";
import { decodeBedrockRequest } from "./request-decode.js";
import { encodeBedrockRequest } from "./request-encode.js";

const opts = { upstreamModel: "anthropic.claude-sonnet-4-5-v1:0" };
const base: CanonicalRequest = {
  model: "m",
  system: [],
  messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
  tools: [],
  stream: false,
  includeUsage: true,
};

describe("Bedrock Converse request encoding", () => {
  it("turns cache breakpoints into cachePoint blocks after the marked system block, tool and message block", () => {
    const body = encodeBedrockRequest(
      {
        ...base,
        system: [{ text: "static prompt", cacheControl: { type: "ephemeral" } }, { text: "dynamic" }],
        tools: [{ name: "t", parameters: { type: "object" }, cacheControl: { type: "ephemeral" } }],
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "long document", cacheControl: { type: "ephemeral" } },
              { type: "text", text: "question" },
            ],
          },
        ],
      },
      opts,
    );
    expect(body).toEqual({
      messages: [
        { role: "user", content: [{ text: "long document" }, { cachePoint: { type: "default" } }, { text: "question" }] },
      ],
      system: [{ text: "static prompt" }, { cachePoint: { type: "default" } }, { text: "dynamic" }],
      toolConfig: {
        tools: [{ toolSpec: { name: "t", inputSchema: { json: { type: "object" } } } }, { cachePoint: { type: "default" } }],
      },
      inferenceConfig: { maxTokens: 8192 },
    });
    expect(decodeBedrockRequest(body, { model: "m", stream: false })).toMatchObject({
      system: [{ text: "static prompt", cacheControl: { type: "ephemeral" } }, { text: "dynamic" }],
      tools: [{ name: "t", cacheControl: { type: "ephemeral" } }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "long document", cacheControl: { type: "ephemeral" } },
            { type: "text", text: "question" },
          ],
        },
      ],
    });
  });

  it("refuses http image URLs, takes s3 locations and base64", () => {
    const withImage = (source: object) =>
      encodeBedrockRequest(
        { ...base, messages: [{ role: "user", content: [{ type: "image", source: source as never }] }] },
        opts,
      );
    expect(() => withImage({ kind: "url", url: "https://example.com/a.png" })).toThrow(
      "image_url is not supported when the upstream API is bedrock_converse: Bedrock accepts images only as inline bytes or s3:// locations; send the image as base64",
    );
    expect((withImage({ kind: "url", url: "s3://bucket/a.jpeg" }).messages as Array<{ content: unknown[] }>)[0]?.content).toEqual(
      [{ image: { format: "jpeg", source: { s3Location: { uri: "s3://bucket/a.jpeg" } } } }],
    );
    expect(
      (withImage({ kind: "base64", mediaType: "image/jpg", data: "AA==" }).messages as Array<{ content: unknown[] }>)[0]?.content,
    ).toEqual([{ image: { format: "jpeg", source: { bytes: "AA==" } } }]);
  });

  it("names documents the way Bedrock allows and maps their media type", () => {
    const body = encodeBedrockRequest(
      {
        ...base,
        messages: [
          {
            role: "user",
            content: [
              {
                type: "file",
                source: { kind: "base64", mediaType: "application/pdf", data: "JVBERi0=" },
                filename: "Q3 report_final.v2.pdf",
              },
              { type: "file", source: { kind: "base64", mediaType: "text/csv", data: "YSxi" } },
            ],
          },
        ],
      },
      opts,
    );
    expect((body.messages as Array<{ content: unknown[] }>)[0]?.content).toEqual([
      { document: { format: "pdf", name: "Q3 report-final-v2", source: { bytes: "JVBERi0=" } } },
      { document: { format: "csv", name: "document-2", source: { bytes: "YSxi" } } },
    ]);
  });

  it("leaves tools out for tool choice none, unless the history needs them", () => {
    const tools = [{ name: "t", parameters: { type: "object" } }];
    expect(encodeBedrockRequest({ ...base, tools, toolChoice: { type: "none" } }, opts).toolConfig).toBeUndefined();
    const history: CanonicalRequest["messages"] = [
      { role: "assistant", content: [{ type: "tool_call", id: "c", name: "t", arguments: "{}" }] },
      { role: "user", content: [{ type: "tool_result", toolCallId: "c", content: [{ type: "text", text: "x" }] }] },
    ];
    expect(encodeBedrockRequest({ ...base, tools, toolChoice: { type: "none" }, messages: history }, opts).toolConfig).toEqual({
      tools: [{ toolSpec: { name: "t", inputSchema: { json: { type: "object" } } } }],
    });
    // Tool blocks without any declared tools: Converse needs a toolConfig, so the used tools are declared.
    expect(encodeBedrockRequest({ ...base, messages: history }, opts).toolConfig).toEqual({
      tools: [{ toolSpec: { name: "t", inputSchema: { json: { type: "object" } } } }],
    });
  });

  it("maps tool choices", () => {
    const tools = [{ name: "t", parameters: { type: "object" } }];
    expect(encodeBedrockRequest({ ...base, tools, toolChoice: { type: "required" } }, opts).toolConfig).toMatchObject({
      toolChoice: { any: {} },
    });
    expect(encodeBedrockRequest({ ...base, tools, toolChoice: { type: "tool", name: "t" } }, opts).toolConfig).toMatchObject({
      toolChoice: { tool: { name: "t" } },
    });
  });

  it("sends reasoning as Claude thinking, with signed history blocks", () => {
    const body = encodeBedrockRequest(
      {
        ...base,
        maxTokens: 10000,
        reasoning: { enabled: true, effort: "medium" },
        messages: [
          { role: "user", content: [{ type: "text", text: "q" }] },
          {
            role: "assistant",
            content: [
              { type: "reasoning", text: "plan", signature: "s1" },
              { type: "reasoning", text: "", redactedData: "r1" },
              { type: "tool_call", id: "c", name: "t", arguments: '{"a":1}' },
            ],
          },
          {
            role: "user",
            content: [{ type: "tool_result", toolCallId: "c", content: [{ type: "text", text: "x" }], isError: true }],
          },
        ],
        tools: [{ name: "t", parameters: { type: "object" } }],
      },
      opts,
    );
    expect(body.additionalModelRequestFields).toEqual({ thinking: { type: "enabled", budget_tokens: 8192 } });
    expect(body.inferenceConfig).toEqual({ maxTokens: 10000 });
    expect(body.messages).toEqual([
      { role: "user", content: [{ text: "q" }] },
      {
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: "plan", signature: "s1" } } },
          { reasoningContent: { redactedContent: "r1" } },
          { toolUse: { toolUseId: "c", name: "t", input: { a: 1 } } },
        ],
      },
      { role: "user", content: [{ toolResult: { toolUseId: "c", content: [{ text: "x" }], status: "error" } }] },
    ]);
  });

  it("maps metadata to requestMetadata and drops what Converse cannot take", () => {
    const body = encodeBedrockRequest(
      { ...base, metadata: { team: "a" }, user: "u", topK: 5, seed: 3, frequencyPenalty: 1, parallelToolCalls: false },
      opts,
    );
    expect(body).toEqual({
      messages: [{ role: "user", content: [{ text: "hi" }] }],
      inferenceConfig: { maxTokens: 8192 },
      requestMetadata: { team: "a" },
    });
  });
});
