/**
 * Two-turn tool loops with reasoning on, one driver per client API, each with its official SDK and each sending the
 * assistant turn back exactly as an application does (the whole message / content / output items it received), so
 * whatever reasoning token the gateway put in the client's own fields makes the trip back.
 */
import Anthropic from "@anthropic-ai/sdk";
import { type Content, GoogleGenAI, type Part } from "@google/genai";
import OpenAI from "openai";

export interface LoopOutcome {
  /** The reasoning text the client saw on turn one. */
  reasoning: string;
  /** The final answer of turn two. */
  answer: string;
}

export interface ReasoningClient {
  name: "openai_chat" | "anthropic_messages" | "openai_responses" | "gemini";
  /** Turn one asks for `get_weather` with thinking on; turn two sends the call, its result and the reasoning back. */
  toolLoop(model: string, prompt: string, result: string, stream: boolean): Promise<LoopOutcome>;
}

const WEATHER = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

export function chatReasoningClient(baseUrl: string, apiKey: string): ReasoningClient {
  const client = new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  const tools = [{ type: "function" as const, function: WEATHER }];
  return {
    name: "openai_chat",
    async toolLoop(model, prompt, result, stream) {
      const user: OpenAI.ChatCompletionMessageParam = { role: "user", content: prompt };
      const params = { model, messages: [user], tools, reasoning_effort: "low" as const };
      let assistant: Record<string, unknown>;
      let reasoning = "";
      if (!stream) {
        const first = await client.chat.completions.create(params);
        assistant = { ...(first.choices[0]?.message as unknown as Record<string, unknown>) };
        reasoning = String(assistant.reasoning_content ?? "");
      } else {
        // Rebuilt from the deltas as a client does: text, calls, reasoning text, and the last thinking_blocks seen.
        const calls: Array<
          { id: string; type: "function"; function: { name: string; arguments: string } } & Record<string, unknown>
        > = [];
        let blocks: unknown;
        for await (const chunk of await client.chat.completions.create({ ...params, stream: true })) {
          const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
          if (delta === undefined) continue;
          if (typeof delta.reasoning_content === "string") reasoning += delta.reasoning_content;
          if (delta.thinking_blocks !== undefined) blocks = delta.thinking_blocks;
          for (const call of (delta.tool_calls ?? []) as Array<Record<string, unknown> & { index: number }>) {
            const fn = call.function as { name?: string; arguments?: string } | undefined;
            const existing = calls[call.index];
            if (existing === undefined) {
              const { index: _index, ...rest } = call;
              calls[call.index] = {
                ...rest,
                id: String(call.id),
                type: "function",
                function: { name: fn?.name ?? "", arguments: fn?.arguments ?? "" },
              };
            } else existing.function.arguments += fn?.arguments ?? "";
          }
        }
        assistant = { role: "assistant", content: null, tool_calls: calls, reasoning_content: reasoning };
        if (blocks !== undefined) assistant.thinking_blocks = blocks;
      }
      const call = (assistant.tool_calls as Array<{ id: string }>)[0] as { id: string };
      const second = await client.chat.completions.create({
        ...params,
        messages: [
          user,
          assistant as unknown as OpenAI.ChatCompletionMessageParam,
          { role: "tool", tool_call_id: call.id, content: result },
        ],
      });
      return { reasoning, answer: second.choices[0]?.message.content ?? "" };
    },
  };
}

export function anthropicReasoningClient(baseUrl: string, apiKey: string): ReasoningClient {
  const client = new Anthropic({ apiKey, baseURL: baseUrl, maxRetries: 0 });
  const tools = [
    { name: WEATHER.name, description: WEATHER.description, input_schema: WEATHER.parameters as Anthropic.Tool.InputSchema },
  ];
  return {
    name: "anthropic_messages",
    async toolLoop(model, prompt, result, stream) {
      const user: Anthropic.MessageParam = { role: "user", content: prompt };
      const params = {
        model,
        max_tokens: 2048,
        thinking: { type: "enabled" as const, budget_tokens: 1024 },
        messages: [user],
        tools,
      };
      const first = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
      const call = first.content.find((block) => block.type === "tool_use") as Anthropic.ToolUseBlock;
      const second = await client.messages.create({
        ...params,
        messages: [
          user,
          { role: "assistant", content: first.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: result }] },
        ],
      });
      return {
        reasoning: first.content.map((block) => (block.type === "thinking" ? block.thinking : "")).join(""),
        answer: second.content.map((block) => (block.type === "text" ? block.text : "")).join(""),
      };
    },
  };
}

export function responsesReasoningClient(baseUrl: string, apiKey: string): ReasoningClient {
  const client = new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  const tools = [{ type: "function" as const, ...WEATHER, strict: false }];
  return {
    name: "openai_responses",
    async toolLoop(model, prompt, result, stream) {
      const user: OpenAI.Responses.ResponseInputItem = { role: "user", content: prompt };
      const params = {
        model,
        input: [user],
        tools,
        store: false,
        include: ["reasoning.encrypted_content" as const],
        reasoning: { effort: "low" as const, summary: "auto" as const },
      };
      const first = stream ? await client.responses.stream(params).finalResponse() : await client.responses.create(params);
      const call = first.output.find((item) => item.type === "function_call") as OpenAI.Responses.ResponseFunctionToolCall;
      const second = await client.responses.create({
        ...params,
        input: [
          user,
          ...(first.output as OpenAI.Responses.ResponseInputItem[]),
          { type: "function_call_output", call_id: call.call_id, output: result },
        ],
      });
      const reasoning = first.output
        .flatMap((item) => (item.type === "reasoning" ? item.summary.map((s) => s.text) : []))
        .join("");
      return { reasoning, answer: second.output_text };
    },
  };
}

export function geminiReasoningClient(baseUrl: string, apiKey: string): ReasoningClient {
  const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl } });
  const config = {
    tools: [
      {
        functionDeclarations: [
          { name: WEATHER.name, description: WEATHER.description, parametersJsonSchema: WEATHER.parameters },
        ],
      },
    ],
    thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 },
  };
  return {
    name: "gemini",
    async toolLoop(model, prompt, result, stream) {
      const user: Content = { role: "user", parts: [{ text: prompt }] };
      const request = { model, contents: [user], config };
      const chunks = stream
        ? await collect(await ai.models.generateContentStream(request))
        : [await ai.models.generateContent(request)];
      // The model's turn as an application keeps it: every part of every chunk, in order.
      const parts: Part[] = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []);
      const call = parts.find((part) => part.functionCall !== undefined)?.functionCall;
      const second = await ai.models.generateContent({
        model,
        config,
        contents: [
          user,
          { role: "model", parts },
          { role: "user", parts: [{ functionResponse: { id: call?.id, name: call?.name ?? "", response: { output: result } } }] },
        ],
      });
      return {
        reasoning: parts.map((part) => (part.thought === true ? (part.text ?? "") : "")).join(""),
        answer: (second.candidates?.[0]?.content?.parts ?? []).map((part) => (part.thought ? "" : (part.text ?? ""))).join(""),
      };
    },
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
