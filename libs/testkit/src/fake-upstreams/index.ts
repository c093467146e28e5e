/** Fake AI providers that speak the real wire protocols, for tests and as the direct-upstream lane of benchmarks. */
export type { FakeConversation, FakeMessage, FakePart, FakeReply, FakeToolCall } from "./conversation.js";
export { embeddingFor } from "./embedding-vector.js";
export type { RecordedRequest } from "./fake-exchange.js";
export { type FakeScript, FakeScriptSchema, type FakeUsage, type FinishReason } from "./fake-script.js";
export {
  DEFAULT_AWS_CREDENTIALS,
  DEFAULT_FAKE_KEYS,
  DEFAULT_MODEL_LISTS,
  FAKE_UPSTREAM_KINDS,
  type FakeUpstreamKind,
  type FakeUpstreamOptions,
} from "./fake-upstream-config.js";
export { DEFAULT_GEMINI_EMBEDDING_DIMENSIONS } from "./gemini-embeddings.js";
export { DEFAULT_EMBEDDING_DIMENSIONS } from "./openai-embeddings.js";
export { fakeReasoningSignature } from "./scripted-model.js";
export { type FakeUpstream, startFakeUpstream } from "./start-fake-upstream.js";
export { splitArguments, splitText } from "./stream-pieces.js";
export { countFakeTokens, countInputTokens, IMAGE_TOKENS } from "./usage-rule.js";
