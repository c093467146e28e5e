/** Options for encoding a canonical request for an upstream. */
export interface EncodeRequestOptions {
  /** The provider's model id. Gemini and Bedrock take it in the URL, so their bodies leave it out. */
  upstreamModel: string;
  /** max_tokens for Anthropic and Bedrock when the client set none (Anthropic requires one). Default 8192. */
  defaultMaxTokens?: number;
  /**
   * Which OpenAI field carries the token limit. `max_completion_tokens` (default) is required by reasoning models;
   * some OpenAI-compatible servers only know `max_tokens`.
   */
  openaiMaxTokensField?: "max_tokens" | "max_completion_tokens";
  /** Collects the parameters left out because the target cannot express them (see unmappable.ts). */
  dropped?: Set<string>;
  /** Refuse (400) instead of dropping. */
  strict?: boolean;
  /**
   * Send Anthropic `metadata.user_id` on as the OpenAI `user` field. Off by default: Claude Code fills it with device
   * and session ids that are not an end-user id.
   */
  forwardMetadataUser?: boolean;
}

export const DEFAULT_MAX_TOKENS = 8192;

/** Options for encoding a canonical response (or stream) for a client. */
export interface EncodeResponseOptions {
  /** The model name the client asked for; echoed back instead of the upstream's. */
  model: string;
  /** The gateway's request id; response ids are derived from it so logs and replies correlate. */
  requestId: string;
  /** Unix seconds for `created` fields; defaults to now. */
  created?: number;
  /**
   * Anthropic streams: the input tokens to show in message_start when the upstream reports usage only at the end
   * (an estimate; message_delta carries the upstream's real count).
   */
  estimatedInputTokens?: number;
}
