/**
 * One driver per client API, each using the official SDK the way applications do, reduced to a common outcome
 * (text, tool calls, finish reason, usage) so the conversion matrix can compare every lane the same way.
 */
import Anthropic from "@anthropic-ai/sdk";
import { type Content, GoogleGenAI, type Part } from "@google/genai";
import OpenAI from "openai";

export const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
export const PNG_BYTES = Buffer.from(PNG_BASE64, "base64").length;

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export interface Outcome {
  text: string;
  toolCalls: ToolCall[];
  finish: string;
  inputTokens: number;
  outputTokens: number;
}

export interface Turn {
  prompt: string;
  image?: boolean;
  tools?: ToolSpec[];
  stream: boolean;
  /** A previous answer's tool calls and the results to send back for them. */
  toolResults?: { calls: ToolCall[]; results: string[] };
}

export interface InboundClient {
  name: "openai_chat" | "anthropic_messages" | "openai_responses" | "gemini";
  send(model: string, turn: Turn): Promise<Outcome>;
  /** How this API says "finished normally" and "stopped to call tools". */
  finish: { text: string; tool: string };
}

const parse = (json: string): Record<string, unknown> => (json === "" ? {} : (JSON.parse(json) as Record<string, unknown>));

export function openAiChatClient(baseUrl: string, apiKey: string): InboundClient {
  const client = new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  return {
    name: "openai_chat",
    finish: { text: "stop", tool: "tool_calls" },
    async send(model, turn) {
      const user: OpenAI.ChatCompletionMessageParam = turn.image
        ? {
            role: "user",
            content: [
              { type: "text", text: turn.prompt },
              { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
            ],
          }
        : { role: "user", content: turn.prompt };
      const messages: OpenAI.ChatCompletionMessageParam[] = [user];
      if (turn.toolResults) {
        messages.push({
          role: "assistant",
          content: null,
          tool_calls: turn.toolResults.calls.map((call) => ({
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: JSON.stringify(call.args) },
          })),
        });
        const results = turn.toolResults.results;
        for (const [i, call] of turn.toolResults.calls.entries()) {
          messages.push({ role: "tool", tool_call_id: call.id, content: results[i] ?? "" });
        }
      }
      const tools = turn.tools?.map((t) => ({
        type: "function" as const,
        function: { name: t.name, description: t.description, parameters: t.parameters },
      }));
      const params = { model, messages, ...(tools ? { tools } : {}) };
      if (!turn.stream) {
        const completion = await client.chat.completions.create(params);
        const choice = completion.choices[0];
        return {
          text: choice?.message.content ?? "",
          toolCalls: (choice?.message.tool_calls ?? []).map((call) => {
            const fn = (call as { function: { name: string; arguments: string } }).function;
            return { id: call.id, name: fn.name, args: parse(fn.arguments) };
          }),
          finish: choice?.finish_reason ?? "",
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
        };
      }
      const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
      let text = "";
      let finish = "";
      let usage: OpenAI.CompletionUsage | undefined;
      const calls = new Map<number, { id: string; name: string; args: string }>();
      for await (const chunk of stream) {
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        text += choice.delta.content ?? "";
        for (const delta of choice.delta.tool_calls ?? []) {
          const call = calls.get(delta.index) ?? { id: "", name: "", args: "" };
          if (delta.id) call.id = delta.id;
          if (delta.function?.name) call.name += delta.function.name;
          call.args += delta.function?.arguments ?? "";
          calls.set(delta.index, call);
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      return {
        text,
        toolCalls: [...calls.entries()]
          .sort(([a], [b]) => a - b)
          .map(([, c]) => ({ id: c.id, name: c.name, args: parse(c.args) })),
        finish,
        inputTokens: usage?.prompt_tokens ?? 0,
        outputTokens: usage?.completion_tokens ?? 0,
      };
    },
  };
}

export function anthropicClient(baseUrl: string, apiKey: string): InboundClient {
  const client = new Anthropic({ apiKey, baseURL: baseUrl, maxRetries: 0 });
  return {
    name: "anthropic_messages",
    finish: { text: "end_turn", tool: "tool_use" },
    async send(model, turn) {
      const content: Anthropic.ContentBlockParam[] = [{ type: "text", text: turn.prompt }];
      if (turn.image) content.push({ type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } });
      const messages: Anthropic.MessageParam[] = [{ role: "user", content }];
      if (turn.toolResults) {
        const results = turn.toolResults.results;
        messages.push({
          role: "assistant",
          content: turn.toolResults.calls.map((call) => ({
            type: "tool_use" as const,
            id: call.id,
            name: call.name,
            input: call.args,
          })),
        });
        messages.push({
          role: "user",
          content: turn.toolResults.calls.map((call, i) => ({
            type: "tool_result" as const,
            tool_use_id: call.id,
            content: results[i] ?? "",
          })),
        });
      }
      const tools = turn.tools?.map((t) => ({
        name: t.name,
        description: t.description,
        input_schema: t.parameters as Anthropic.Tool.InputSchema,
      }));
      const params = { model, max_tokens: 1024, messages, ...(tools ? { tools } : {}) };
      const message = turn.stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
      return {
        text: message.content.map((block) => (block.type === "text" ? block.text : "")).join(""),
        toolCalls: message.content.flatMap((block) =>
          block.type === "tool_use" ? [{ id: block.id, name: block.name, args: block.input as Record<string, unknown> }] : [],
        ),
        finish: message.stop_reason ?? "",
        inputTokens: message.usage.input_tokens + (message.usage.cache_read_input_tokens ?? 0),
        outputTokens: message.usage.output_tokens,
      };
    },
  };
}

export function openAiResponsesClient(baseUrl: string, apiKey: string): InboundClient {
  const client = new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  return {
    name: "openai_responses",
    finish: { text: "completed", tool: "completed" },
    async send(model, turn) {
      const content: OpenAI.Responses.ResponseInputContent[] = [{ type: "input_text", text: turn.prompt }];
      if (turn.image) content.push({ type: "input_image", image_url: `data:image/png;base64,${PNG_BASE64}`, detail: "auto" });
      const input: OpenAI.Responses.ResponseInputItem[] = [{ role: "user", content }];
      if (turn.toolResults) {
        const results = turn.toolResults.results;
        for (const call of turn.toolResults.calls) {
          input.push({ type: "function_call", call_id: call.id, name: call.name, arguments: JSON.stringify(call.args) });
        }
        for (const [i, call] of turn.toolResults.calls.entries()) {
          input.push({ type: "function_call_output", call_id: call.id, output: results[i] ?? "" });
        }
      }
      const tools = turn.tools?.map((t) => ({
        type: "function" as const,
        name: t.name,
        description: t.description,
        parameters: t.parameters,
        strict: false,
      }));
      const params = { model, input, ...(tools ? { tools } : {}) };
      const response = turn.stream
        ? await client.responses.stream(params).finalResponse()
        : await client.responses.create(params);
      return {
        text: response.output_text,
        toolCalls: response.output.flatMap((item) =>
          item.type === "function_call" ? [{ id: item.call_id, name: item.name, args: parse(item.arguments) }] : [],
        ),
        finish: response.status ?? "",
        inputTokens: response.usage?.input_tokens ?? 0,
        outputTokens: response.usage?.output_tokens ?? 0,
      };
    },
  };
}

export function geminiClient(baseUrl: string, apiKey: string): InboundClient {
  const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl } });
  return {
    name: "gemini",
    finish: { text: "STOP", tool: "STOP" },
    async send(model, turn) {
      const parts: Part[] = [{ text: turn.prompt }];
      if (turn.image) parts.push({ inlineData: { mimeType: "image/png", data: PNG_BASE64 } });
      const contents: Content[] = [{ role: "user", parts }];
      if (turn.toolResults) {
        const results = turn.toolResults.results;
        contents.push({
          role: "model",
          parts: turn.toolResults.calls.map((call) => ({ functionCall: { id: call.id, name: call.name, args: call.args } })),
        });
        contents.push({
          role: "user",
          parts: turn.toolResults.calls.map((call, i) => ({
            functionResponse: { id: call.id, name: call.name, response: { output: results[i] ?? "" } },
          })),
        });
      }
      const config = turn.tools
        ? {
            tools: [
              {
                functionDeclarations: turn.tools.map((t) => ({
                  name: t.name,
                  description: t.description,
                  parametersJsonSchema: t.parameters,
                })),
              },
            ],
          }
        : {};
      const request = { model, contents, config };
      const chunks = turn.stream
        ? await collect(await ai.models.generateContentStream(request))
        : [await ai.models.generateContent(request)];
      let text = "";
      let finish = "";
      const toolCalls: ToolCall[] = [];
      let usage = { promptTokenCount: 0, candidatesTokenCount: 0, thoughtsTokenCount: 0 };
      for (const chunk of chunks) {
        const candidate = chunk.candidates?.[0];
        for (const part of candidate?.content?.parts ?? []) {
          if (part.text && !part.thought) text += part.text;
          if (part.functionCall)
            toolCalls.push({
              id: part.functionCall.id ?? "",
              name: part.functionCall.name ?? "",
              args: part.functionCall.args ?? {},
            });
        }
        if (candidate?.finishReason) finish = candidate.finishReason;
        if (chunk.usageMetadata)
          usage = { promptTokenCount: 0, candidatesTokenCount: 0, thoughtsTokenCount: 0, ...chunk.usageMetadata };
      }
      return {
        text,
        toolCalls,
        finish,
        inputTokens: usage.promptTokenCount,
        outputTokens: usage.candidatesTokenCount + usage.thoughtsTokenCount,
      };
    },
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
