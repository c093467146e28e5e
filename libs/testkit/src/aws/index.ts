/** The AWS service side that fake upstreams need and the gateway does not: SigV4 verification, event-stream writing. */
export {
  encodeBedrockStreamEvent,
  encodeBedrockStreamException,
} from "./bedrock-stream-frame-encoder.js";
export { type EventStreamMessageInput, encodeEventStreamHeaders, encodeEventStreamMessage } from "./event-stream-encoder.js";
export {
  type AwsCredentialsLookup,
  type AwsSignatureFailure,
  type AwsSignatureVerdict,
  type AwsSignedRequest,
  type VerifyAwsSignatureOptions,
  verifyAwsSignature,
} from "./sigv4-verify.js";
