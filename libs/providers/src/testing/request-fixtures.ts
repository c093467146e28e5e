/**
 * One conversation written in each format's own request shape (test fixtures): a system prompt, an image, an
 * assistant turn with text and two parallel calls of the same tool, both results, a follow-up question, one tool,
 * tool choice, stop, limits, sampling and a JSON-schema answer format.
 */
export const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";

export const WEATHER_SCHEMA = {
  type: "object",
  properties: { city: { type: "string", description: "City name" } },
  required: ["city"],
};

export const ANSWER_SCHEMA = {
  type: "object",
  properties: { paris_f: { type: "number" }, tokyo_f: { type: "number" } },
  required: ["paris_f", "tokyo_f"],
  additionalProperties: false,
};

export const OPENAI_CHAT_REQUEST = {
  model: "gpt-4o",
  messages: [
    { role: "system", content: "You are terse." },
    {
      role: "user",
      content: [
        { type: "text", text: "What is in this image?" },
        { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      ],
    },
    {
      role: "assistant",
      content: "Let me check the weather in two cities.",
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Tokyo"}' } },
      ],
    },
    { role: "tool", tool_call_id: "call_1", content: "18C sunny" },
    { role: "tool", tool_call_id: "call_2", content: "25C rain" },
    { role: "user", content: "Convert both to Fahrenheit." },
  ],
  tools: [
    {
      type: "function",
      function: { name: "get_weather", description: "Current weather for a city", parameters: WEATHER_SCHEMA },
    },
  ],
  tool_choice: "auto",
  stop: ["END"],
  max_tokens: 1000,
  temperature: 0.2,
  top_p: 0.9,
  response_format: { type: "json_schema", json_schema: { name: "weather", schema: ANSWER_SCHEMA, strict: true } },
};

export const ANTHROPIC_REQUEST = {
  model: "claude-sonnet-4-5",
  max_tokens: 1000,
  system: "You are terse.",
  messages: [
    {
      role: "user",
      content: [
        { type: "text", text: "What is in this image?" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "text", text: "Let me check the weather in two cities." },
        { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
        { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Tokyo" } },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "call_1", content: "18C sunny" },
        { type: "tool_result", tool_use_id: "call_2", content: [{ type: "text", text: "25C rain" }] },
        { type: "text", text: "Convert both to Fahrenheit." },
      ],
    },
  ],
  tools: [{ name: "get_weather", description: "Current weather for a city", input_schema: WEATHER_SCHEMA }],
  tool_choice: { type: "auto" },
  stop_sequences: ["END"],
  temperature: 0.2,
  top_p: 0.9,
  output_config: { format: { type: "json_schema", schema: ANSWER_SCHEMA } },
};

export const RESPONSES_REQUEST = {
  model: "gpt-5",
  instructions: "You are terse.",
  input: [
    {
      role: "user",
      content: [
        { type: "input_text", text: "What is in this image?" },
        { type: "input_image", image_url: `data:image/png;base64,${PNG}` },
      ],
    },
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "Let me check the weather in two cities." }] },
    { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
    { type: "function_call", call_id: "call_2", name: "get_weather", arguments: '{"city":"Tokyo"}' },
    { type: "function_call_output", call_id: "call_1", output: "18C sunny" },
    { type: "function_call_output", call_id: "call_2", output: "25C rain" },
    { role: "user", content: "Convert both to Fahrenheit." },
  ],
  tools: [{ type: "function", name: "get_weather", description: "Current weather for a city", parameters: WEATHER_SCHEMA }],
  tool_choice: "auto",
  max_output_tokens: 1000,
  temperature: 0.2,
  top_p: 0.9,
  text: { format: { type: "json_schema", name: "weather", schema: ANSWER_SCHEMA, strict: true } },
};

/** Gemini clients write parameters in the OpenAPI subset (upper-case types); they decode to WEATHER_SCHEMA. */
export const GEMINI_REQUEST = {
  contents: [
    { role: "user", parts: [{ text: "What is in this image?" }, { inlineData: { mimeType: "image/png", data: PNG } }] },
    {
      role: "model",
      parts: [
        { text: "Let me check the weather in two cities." },
        { functionCall: { name: "get_weather", args: { city: "Paris" } } },
        { functionCall: { name: "get_weather", args: { city: "Tokyo" } } },
      ],
    },
    {
      role: "user",
      parts: [
        { functionResponse: { name: "get_weather", response: { output: "18C sunny" } } },
        { functionResponse: { name: "get_weather", response: { output: "25C rain" } } },
        { text: "Convert both to Fahrenheit." },
      ],
    },
  ],
  systemInstruction: { parts: [{ text: "You are terse." }] },
  tools: [
    {
      functionDeclarations: [
        {
          name: "get_weather",
          description: "Current weather for a city",
          parameters: { type: "OBJECT", properties: { city: { type: "STRING", description: "City name" } }, required: ["city"] },
        },
      ],
    },
  ],
  toolConfig: { functionCallingConfig: { mode: "AUTO" } },
  generationConfig: {
    stopSequences: ["END"],
    maxOutputTokens: 1000,
    temperature: 0.2,
    topP: 0.9,
    responseMimeType: "application/json",
    responseJsonSchema: ANSWER_SCHEMA,
  },
};

export const INBOUND_REQUESTS = {
  openai_chat: OPENAI_CHAT_REQUEST,
  anthropic_messages: ANTHROPIC_REQUEST,
  openai_responses: RESPONSES_REQUEST,
  gemini: GEMINI_REQUEST,
} as const;
