/**
 * @thinkwatch/providers: lossless conversion between the AI APIs ThinkWatch speaks, as pure functions around one
 * canonical form. Any inbound format → any upstream format is decode + encode, for requests, responses and streams.
 */

export * from "./aws/index.js";
export type {
  AssistantPart,
  CacheControl,
  CanonicalMessage,
  FilePart,
  ImagePart,
  MediaSource,
  NativePart,
  ReasoningPart,
  SystemBlock,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserPart,
} from "./canonical/content.js";
export type {
  CanonicalRequest,
  CanonicalTool,
  ReasoningConfig,
  ReasoningEffort,
  ResponseFormat,
  ToolChoice,
} from "./canonical/request.js";
export { type CanonicalResponse, FINISH_REASONS, type FinishReason, type OutputPart } from "./canonical/response.js";
export type { CanonicalStreamEvent, StreamBlock, StreamDecoder, StreamEncoder } from "./canonical/stream.js";
export type { CanonicalUsage } from "./canonical/usage.js";
export { type DecodeRequestOptions, decodeRequest, encodeRequest } from "./codecs/request-codecs.js";
export { CONVERSATION_MEMBER, decodeRequestHead, type RequestHead, requestHeadOf } from "./codecs/request-head.js";
export { decodeResponse, encodeResponse } from "./codecs/response-codecs.js";
export {
  createByteStreamDecoder,
  createStreamDecoder,
  createStreamEncoder,
  type StreamEncoderOptions,
  streamContentType,
} from "./codecs/stream-codecs.js";
export { REPLY_CONTENT_MEMBER, readResponseUsage } from "./codecs/usage-readers.js";
export { countTokensEstimate, estimateTextTokens } from "./count-tokens/estimate.js";
export { decodeCountTokensResponse, encodeCountTokensRequest, hasCountTokensEndpoint } from "./count-tokens/upstream-count.js";
export {
  decodeGeminiEmbeddingsRequest,
  decodeGeminiEmbeddingsResponse,
  encodeGeminiEmbeddingsRequest,
  encodeGeminiEmbeddingsResponse,
} from "./embeddings/gemini-embeddings.js";
export {
  base64ToEmbedding,
  decodeOpenAiEmbeddingsRequest,
  embeddingToBase64,
  type OpenAiEmbeddingsRequest,
} from "./embeddings/openai-embeddings.js";
export type { EncodeRequestOptions, EncodeResponseOptions } from "./encode-options.js";
export { parseUpstreamError } from "./errors/parse-upstream-error.js";
export { renderError } from "./errors/render-error.js";
export type { BedrockStreamEvent } from "./formats/bedrock-converse/schema.js";
export { type GeminiAction, type GeminiModelPath, parseGeminiModelPath } from "./formats/gemini/model-path.js";
export {
  API_FORMATS,
  type ApiFormat,
  INBOUND_FORMATS,
  type InboundFormat,
  type SseFormat,
  UPSTREAM_FORMATS,
  type UpstreamFormat,
} from "./formats.js";
export { createEventFramer, type EventFramer } from "./sse/event-framer.js";
export { type SseEvent, SseParser } from "./sse/sse-parser.js";
export { createUsageObserver, type ObservedUsage, type UsageObserver } from "./stream/usage-observer.js";
export { findRule, UNMAPPABLE, type UnmappableRule } from "./unmappable.js";
export { README_MARKERS, renderUnmappableMarkdown, withUnmappableSection } from "./unmappable-markdown.js";
