/**
 * AWS plumbing for the Bedrock adapter: SigV4 request signing, event-stream reading. The service side (signature
 * verification, writing event-stream frames) is only needed by fake upstreams and lives in @thinkwatch/testkit,
 * which builds its verifier on the SigV4 primitives exported here.
 */
export { type BedrockRuntimeOperation, bedrockRuntimeEndpoint, bedrockRuntimePath } from "./bedrock-paths.js";
export { type BedrockStreamFrame, readBedrockStreamFrame } from "./bedrock-stream-frame.js";
export { crc32 } from "./crc32.js";
export {
  createEventStreamDecoder,
  decodeEventStreamMessage,
  type EventStreamDecoder,
  type EventStreamMessage,
} from "./event-stream.js";
export type { EventStreamHeaders, EventStreamHeaderValue } from "./event-stream-headers.js";
export {
  type AwsCredentials,
  type CanonicalRequestParts,
  canonicalRequest,
  computeSignature,
  SIGV4_ALGORITHM,
  type SignAwsRequestInput,
  sha256Hex,
  signAwsRequest,
  UNSIGNED_PAYLOAD,
} from "./sigv4.js";
