/** AWS plumbing for the Bedrock adapter: SigV4 request signing and verification, event-stream framing. */
export { type BedrockRuntimeOperation, bedrockRuntimeEndpoint, bedrockRuntimePath } from "./bedrock-paths.js";
export {
  type BedrockStreamFrame,
  encodeBedrockStreamEvent,
  encodeBedrockStreamException,
  readBedrockStreamFrame,
} from "./bedrock-stream-frame.js";
export { crc32 } from "./crc32.js";
export {
  createEventStreamDecoder,
  decodeEventStreamMessage,
  type EventStreamDecoder,
  type EventStreamMessage,
  type EventStreamMessageInput,
  encodeEventStreamMessage,
} from "./event-stream.js";
export type { EventStreamHeaders, EventStreamHeaderValue } from "./event-stream-headers.js";
export { type AwsCredentials, type SignAwsRequestInput, signAwsRequest } from "./sigv4.js";
export {
  type AwsCredentialsLookup,
  type AwsSignatureFailure,
  type AwsSignatureVerdict,
  type AwsSignedRequest,
  type VerifyAwsSignatureOptions,
  verifyAwsSignature,
} from "./sigv4-verify.js";
