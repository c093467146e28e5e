/**
 * The API formats ThinkWatch speaks. Clients call the gateway in an inbound format; the gateway calls a provider in an
 * upstream format. Bedrock Converse is upstream only; OpenAI Responses is both (OpenAI and Azure speak it natively).
 */
export const API_FORMATS = ["openai_chat", "anthropic_messages", "openai_responses", "gemini", "bedrock_converse"] as const;
export type ApiFormat = (typeof API_FORMATS)[number];

export const INBOUND_FORMATS = ["openai_chat", "anthropic_messages", "openai_responses", "gemini"] as const;
export type InboundFormat = (typeof INBOUND_FORMATS)[number];

export const UPSTREAM_FORMATS = ["openai_chat", "anthropic_messages", "openai_responses", "gemini", "bedrock_converse"] as const;
export type UpstreamFormat = (typeof UPSTREAM_FORMATS)[number];

/** Formats whose streams are server-sent events; Bedrock streams AWS event-stream frames instead. */
export type SseFormat = Exclude<ApiFormat, "bedrock_converse">;
