/**
 * One gateway request per row of the unmappable table (libs/providers/src/unmappable.ts), keyed by the row: the
 * client API, the upstream it is routed to and the fields that set the row off. dropped-params.test.ts checks that
 * the keys are exactly the table's rows, so a new row without a case here fails.
 */
import type { UnmappableRule } from "@thinkwatch/providers";

export type Client = "openai_chat" | "anthropic_messages" | "openai_responses" | "gemini";
/** The upstreams of the scenario, named by what they speak. */
export const TARGET_MODELS = {
  openai: "gpt-4o-mini",
  anthropic: "claude-haiku-5-5",
  gemini: "gemini-2.5-flash",
  bedrock: "br-claude",
  /** A Responses-only model of the OpenAI provider. */
  responses: "gpt-5-codex",
  /** An OpenAI-compatible server without the Responses API. */
  compat: "compat-model",
} as const;
export type Target = keyof typeof TARGET_MODELS;
export const TARGET_FORMATS: Record<Target, string> = {
  openai: "openai_chat",
  anthropic: "anthropic_messages",
  gemini: "gemini",
  bedrock: "bedrock_converse",
  responses: "openai_responses",
  compat: "openai_chat",
};
export type RuleCase = [client: Client, target: Target, extra: Record<string, unknown>];

export const ruleId = (rule: Pick<UnmappableRule, "param" | "from" | "to">) => `${rule.param} ${rule.from}→${rule.to}`;

const TOOL = { type: "object", properties: { city: { type: "string" } } };
const CHAT_TOOLS = [{ type: "function", function: { name: "f", parameters: TOOL } }];
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const chatUser = (content: unknown) => ({ messages: [{ role: "user", content }] });
const chatPart = (part: Record<string, unknown>) => chatUser([{ type: "text", text: "look" }, part]);
/** A tool loop whose assistant turn carries no signed reasoning, with thinking asked for. */
const UNSIGNED_TOOL_TURN = {
  reasoning_effort: "low",
  tools: CHAT_TOOLS,
  messages: [
    { role: "user", content: "weather?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "call_1", content: "sunny" },
  ],
};
const anthropicTurns = (assistant: unknown[]) => ({
  messages: [
    { role: "user", content: "q" },
    { role: "assistant", content: assistant },
    { role: "user", content: "hi" },
  ],
});
const anthropicUrlDocument = {
  messages: [
    {
      role: "user",
      content: [
        { type: "text", text: "read" },
        { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } },
      ],
    },
  ],
};
const ONE_CALL = {
  tools: [{ type: "function", name: "f", parameters: TOOL, strict: false }],
};

export const RULE_CASES: Record<string, RuleCase> = {
  // OpenAI Chat Completions fields.
  "n openai_chat→*": ["openai_chat", "anthropic", { n: 2 }],
  "logprobs openai_chat→*": ["openai_chat", "anthropic", { logprobs: true }],
  "top_logprobs openai_chat→*": ["openai_chat", "anthropic", { top_logprobs: 2 }],
  "logit_bias openai_chat→*": ["openai_chat", "gemini", { logit_bias: { "50256": -100 } }],
  "modalities openai_chat→*": ["openai_chat", "anthropic", { modalities: ["text", "audio"] }],
  "audio openai_chat→*": ["openai_chat", "anthropic", { audio: { voice: "alloy", format: "wav" } }],
  "prediction openai_chat→*": ["openai_chat", "anthropic", { prediction: { type: "content", content: "hi" } }],
  "web_search_options openai_chat→*": ["openai_chat", "gemini", { web_search_options: { search_context_size: "low" } }],
  "service_tier *→*": ["openai_chat", "anthropic", { service_tier: "flex" }],
  "store *→*": ["openai_chat", "gemini", { store: true }],
  "tool_choice openai_chat→*": [
    "openai_chat",
    "anthropic",
    {
      tools: CHAT_TOOLS,
      tool_choice: {
        type: "allowed_tools",
        allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "f" } }] },
      },
    },
  ],
  "verbosity openai_chat→*": ["openai_chat", "anthropic", { verbosity: "low" }],
  "prompt_cache_key *→*": ["openai_chat", "anthropic", { prompt_cache_key: "k1" }],
  "safety_identifier *→*": ["openai_chat", "gemini", { safety_identifier: "u1" }],
  // Anthropic Messages.
  "container anthropic_messages→*": ["anthropic_messages", "openai", { container: "container_1" }],
  "mcp_servers anthropic_messages→*": [
    "anthropic_messages",
    "openai",
    { mcp_servers: [{ type: "url", url: "https://mcp.example.com/sse", name: "example" }] },
  ],
  "context_management anthropic_messages→*": ["anthropic_messages", "openai", { context_management: { edits: [] } }],
  "output_config.effort anthropic_messages→*": ["anthropic_messages", "gemini", { output_config: { effort: "low" } }],
  // Gemini (the SDK's config: generation fields go under generationConfig, the others to the top level).
  "safetySettings gemini→*": [
    "gemini",
    "openai",
    { safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }] },
  ],
  "cachedContent gemini→*": ["gemini", "openai", { cachedContent: "cachedContents/abc123" }],
  "labels gemini→*": ["gemini", "anthropic", { labels: { team: "a" } }],
  "toolConfig.functionCallingConfig.allowedFunctionNames gemini→*": [
    "gemini",
    "openai",
    {
      tools: [
        {
          functionDeclarations: [
            { name: "f", description: "one" },
            { name: "g", description: "two" },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["f", "g"] } },
    },
  ],
  "generationConfig.candidateCount gemini→*": ["gemini", "openai", { candidateCount: 2 }],
  "generationConfig.responseModalities gemini→*": ["gemini", "openai", { responseModalities: ["TEXT", "IMAGE"] }],
  "generationConfig.speechConfig gemini→*": [
    "gemini",
    "anthropic",
    { speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: "Kore" } } } },
  ],
  "generationConfig.imageConfig gemini→*": ["gemini", "openai", { imageConfig: { aspectRatio: "16:9" } }],
  "generationConfig.responseLogprobs gemini→*": ["gemini", "openai", { responseLogprobs: true }],
  "generationConfig.logprobs gemini→*": ["gemini", "anthropic", { logprobs: 3 }],
  "generationConfig.mediaResolution gemini→*": ["gemini", "openai", { mediaResolution: "MEDIA_RESOLUTION_LOW" }],
  // OpenAI Responses.
  "previous_response_id openai_responses→*": ["openai_responses", "anthropic", { previous_response_id: "resp_123" }],
  "conversation openai_responses→*": ["openai_responses", "anthropic", { conversation: "conv_123" }],
  "background openai_responses→*": ["openai_responses", "gemini", { background: true }],
  "prompt openai_responses→*": ["openai_responses", "anthropic", { prompt: { id: "pmpt_123" } }],
  "tool_choice openai_responses→*": [
    "openai_responses",
    "anthropic",
    { ...ONE_CALL, tool_choice: { type: "allowed_tools", mode: "auto", tools: [{ type: "function", name: "f" }] } },
  ],
  "include openai_responses→*": ["openai_responses", "anthropic", { include: ["message.output_text.logprobs"] }],
  "truncation openai_responses→*": ["openai_responses", "anthropic", { truncation: "auto" }],
  "max_tool_calls openai_responses→*": ["openai_responses", "gemini", { max_tool_calls: 3 }],
  "top_logprobs openai_responses→*": ["openai_responses", "anthropic", { top_logprobs: 3 }],
  "text.verbosity openai_responses→*": ["openai_responses", "anthropic", { text: { verbosity: "low" } }],
  // Modelled fields a target cannot express.
  "top_k *→openai_chat": ["anthropic_messages", "openai", { top_k: 5 }],
  "top_k *→bedrock_converse": ["anthropic_messages", "bedrock", { top_k: 5 }],
  "frequency_penalty *→anthropic_messages": ["openai_chat", "anthropic", { frequency_penalty: 0.5 }],
  "frequency_penalty *→bedrock_converse": ["openai_chat", "bedrock", { frequency_penalty: 0.5 }],
  "presence_penalty *→anthropic_messages": ["openai_chat", "anthropic", { presence_penalty: 0.5 }],
  "presence_penalty *→bedrock_converse": ["openai_chat", "bedrock", { presence_penalty: 0.5 }],
  "seed *→anthropic_messages": ["openai_chat", "anthropic", { seed: 7 }],
  "seed *→bedrock_converse": ["openai_chat", "bedrock", { seed: 7 }],
  "parallel_tool_calls *→gemini": ["openai_chat", "gemini", { tools: CHAT_TOOLS, parallel_tool_calls: false }],
  "parallel_tool_calls *→bedrock_converse": ["openai_chat", "bedrock", { tools: CHAT_TOOLS, parallel_tool_calls: false }],
  "cache_control *→openai_chat": [
    "anthropic_messages",
    "openai",
    { system: [{ type: "text", text: "be brief", cache_control: { type: "ephemeral" } }] },
  ],
  "cache_control *→gemini": [
    "anthropic_messages",
    "gemini",
    { system: [{ type: "text", text: "be brief", cache_control: { type: "ephemeral" } }] },
  ],
  "metadata *→openai_chat": ["openai_responses", "compat", { metadata: { team: "a" } }],
  "metadata *→anthropic_messages": ["openai_chat", "anthropic", { metadata: { team: "a" } }],
  "metadata *→gemini": ["openai_chat", "gemini", { metadata: { team: "a" } }],
  "user *→gemini": ["openai_chat", "gemini", { user: "u-1" }],
  "metadata.user_id *→openai_chat": ["anthropic_messages", "openai", { metadata: { user_id: "device-1_session-2" } }],
  "metadata.user_id *→openai_responses": ["anthropic_messages", "responses", { metadata: { user_id: "device-1_session-2" } }],
  "user *→bedrock_converse": ["openai_chat", "bedrock", { user: "u-1" }],
  "image_detail *→*": [
    "openai_chat",
    "anthropic",
    chatPart({ type: "image_url", image_url: { url: `data:image/png;base64,${PNG}`, detail: "high" } }),
  ],
  "response_format.json_object *→anthropic_messages": ["openai_chat", "anthropic", { response_format: { type: "json_object" } }],
  "response_format.json_object *→bedrock_converse": ["openai_chat", "bedrock", { response_format: { type: "json_object" } }],
  "tool.strict *→gemini": [
    "openai_chat",
    "gemini",
    { tools: [{ type: "function", function: { name: "f", parameters: TOOL, strict: true } }] },
  ],
  "tool_choice.none *→bedrock_converse": ["openai_chat", "bedrock", { tools: CHAT_TOOLS, tool_choice: "none" }],
  "reasoning.disabled *→gemini": ["openai_chat", "gemini", { reasoning_effort: "none" }],
  "reasoning.disabled *→openai_chat": ["anthropic_messages", "openai", { thinking: { type: "disabled" } }],
  "reasoning_history *→openai_chat": [
    "anthropic_messages",
    "openai",
    anthropicTurns([
      { type: "thinking", thinking: "hmm", signature: "sig-1" },
      { type: "text", text: "a" },
    ]),
  ],
  "reasoning_history *→*": [
    "openai_chat",
    "anthropic",
    {
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "a", reasoning_content: "I thought about it" },
        { role: "user", content: "hi" },
      ],
    },
  ],
  "thinking.unsigned_tool_turn *→anthropic_messages": ["openai_chat", "anthropic", UNSIGNED_TOOL_TURN],
  "thinking.unsigned_tool_turn *→bedrock_converse": ["openai_chat", "bedrock", UNSIGNED_TOOL_TURN],
  "image_url *→bedrock_converse": [
    "openai_chat",
    "bedrock",
    chatPart({ type: "image_url", image_url: { url: "https://example.com/cat.png" } }),
  ],
  "file_url *→openai_chat": ["anthropic_messages", "openai", anthropicUrlDocument],
  "file_url *→bedrock_converse": ["anthropic_messages", "bedrock", anthropicUrlDocument],
  "audio_input *→anthropic_messages": [
    "openai_chat",
    "anthropic",
    chatPart({ type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } }),
  ],
  "audio_input *→bedrock_converse": [
    "openai_chat",
    "bedrock",
    chatPart({ type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } }),
  ],
  "document_type *→*": [
    "openai_chat",
    "anthropic",
    chatPart({ type: "file", file: { file_data: "data:application/zip;base64,UEsDBA==", filename: "a.zip" } }),
  ],
  "native_tools *→*": ["anthropic_messages", "openai", { tools: [{ type: "web_search_20250305", name: "web_search" }] }],
  "file_id *→*": ["openai_chat", "anthropic", chatPart({ type: "file", file: { file_id: "file-abc123" } })],
  "native_content *→*": [
    "anthropic_messages",
    "openai",
    anthropicTurns([
      { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "news" } },
      { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] },
      { type: "text", text: "a" },
    ]),
  ],
  "thought_signature *→*": [
    "gemini",
    "anthropic",
    {
      contents: [
        { role: "user", parts: [{ text: "q" }] },
        { role: "model", parts: [{ text: "a", thoughtSignature: "c2lnbmVk" }] },
        { role: "user", parts: [{ text: "hi" }] },
      ],
    },
  ],
};
