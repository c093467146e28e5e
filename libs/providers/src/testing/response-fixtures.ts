/**
 * One assistant reply in each format's own response shape (test fixtures): reasoning, text, two parallel calls
 * of one tool, finish because of tool use, 120 input tokens of which 100 were cache reads, 40 output tokens of
 * which 12 were reasoning (where the format reports it).
 */
export const OPENAI_CHAT_RESPONSE = {
  id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  object: "chat.completion",
  created: 1741569952,
  model: "gpt-4o-2024-08-06",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "Checking both cities.",
        reasoning_content: "Need the weather for two cities.",
        refusal: null,
        tool_calls: [
          { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Tokyo"}' } },
        ],
      },
      logprobs: null,
      finish_reason: "tool_calls",
    },
  ],
  usage: {
    prompt_tokens: 120,
    completion_tokens: 40,
    total_tokens: 160,
    prompt_tokens_details: { cached_tokens: 100, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 12, audio_tokens: 0 },
  },
  service_tier: "default",
  system_fingerprint: "fp_2f406b9113",
};

export const ANTHROPIC_RESPONSE = {
  id: "msg_01XFDUDYJgAACzvnptvVoYEL",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [
    { type: "thinking", thinking: "Need the weather for two cities.", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3h" },
    { type: "text", text: "Checking both cities." },
    { type: "tool_use", id: "call_a", name: "get_weather", input: { city: "Paris" } },
    { type: "tool_use", id: "call_b", name: "get_weather", input: { city: "Tokyo" } },
  ],
  stop_reason: "tool_use",
  stop_sequence: null,
  usage: {
    input_tokens: 20,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 100,
    output_tokens: 40,
    service_tier: "standard",
  },
};

export const GEMINI_RESPONSE = {
  candidates: [
    {
      content: {
        parts: [
          { text: "Need the weather for two cities.", thought: true },
          { text: "Checking both cities." },
          { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "CiQB0e2Kb7Hx" },
          { functionCall: { name: "get_weather", args: { city: "Tokyo" } } },
        ],
        role: "model",
      },
      finishReason: "STOP",
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 120,
    candidatesTokenCount: 28,
    totalTokenCount: 160,
    cachedContentTokenCount: 100,
    thoughtsTokenCount: 12,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: 120 }],
  },
  modelVersion: "gemini-2.5-pro",
  responseId: "mKzKaMTqF4-b1dkP9rS5yQ4",
};

export const BEDROCK_RESPONSE = {
  output: {
    message: {
      role: "assistant",
      content: [
        {
          reasoningContent: {
            reasoningText: { text: "Need the weather for two cities.", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3h" },
          },
        },
        { text: "Checking both cities." },
        { toolUse: { toolUseId: "call_a", name: "get_weather", input: { city: "Paris" } } },
        { toolUse: { toolUseId: "call_b", name: "get_weather", input: { city: "Tokyo" } } },
      ],
    },
  },
  stopReason: "tool_use",
  usage: { inputTokens: 20, outputTokens: 40, totalTokens: 160, cacheReadInputTokens: 100, cacheWriteInputTokens: 0 },
  metrics: { latencyMs: 1843 },
};

export const RESPONSES_RESPONSE = {
  id: "resp_67ccd3a9da748190baa7f1570fe91ac6",
  object: "response",
  created_at: 1741476777,
  status: "completed",
  error: null,
  incomplete_details: null,
  model: "gpt-5-2025-08-07",
  output: [
    { id: "rs_1", type: "reasoning", summary: [{ type: "summary_text", text: "Need the weather for two cities." }] },
    {
      id: "msg_1",
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "Checking both cities.", annotations: [] }],
    },
    {
      id: "fc_1",
      type: "function_call",
      status: "completed",
      call_id: "call_a",
      name: "get_weather",
      arguments: '{"city":"Paris"}',
    },
    {
      id: "fc_2",
      type: "function_call",
      status: "completed",
      call_id: "call_b",
      name: "get_weather",
      arguments: '{"city":"Tokyo"}',
    },
  ],
  usage: {
    input_tokens: 120,
    input_tokens_details: { cached_tokens: 100 },
    output_tokens: 40,
    output_tokens_details: { reasoning_tokens: 12 },
    total_tokens: 160,
  },
};

export const UPSTREAM_RESPONSES = {
  openai_chat: OPENAI_CHAT_RESPONSE,
  anthropic_messages: ANTHROPIC_RESPONSE,
  gemini: GEMINI_RESPONSE,
  bedrock_converse: BEDROCK_RESPONSE,
  openai_responses: RESPONSES_RESPONSE,
} as const;
