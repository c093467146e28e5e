/**
 * AWS JSON-protocol errors as Bedrock Runtime sends them: the type in the `x-amzn-ErrorType` header, the message
 * in a `{ "message" }` body. Signature failures map to the exception AWS raises for each.
 */
import { encodeBedrockStreamException } from "../aws/bedrock-stream-frame-encoder.js";
import type { AwsSignatureFailure } from "../aws/sigv4-verify.js";
import type { ProviderError } from "./respond.js";

const BY_STATUS: Record<number, { type: string; message: string }> = {
  400: { type: "ValidationException", message: "Malformed input request, please reformat your input and try again." },
  403: { type: "AccessDeniedException", message: "You don't have access to the model with the specified model ID." },
  404: {
    type: "ResourceNotFoundException",
    message: "Could not resolve the foundation model from the provided model identifier.",
  },
  408: { type: "ModelTimeoutException", message: "Model has timed out in processing the request." },
  424: { type: "ModelErrorException", message: "The model encountered an error processing the request." },
  429: { type: "ThrottlingException", message: "Too many requests, please wait before trying again." },
  500: { type: "InternalServerException", message: "The server encountered an internal error while processing the request." },
  503: { type: "ServiceUnavailableException", message: "Bedrock is unable to process your request." },
};

const SIGNATURE_FAILURES: Record<AwsSignatureFailure, string> = {
  missing_authorization: "MissingAuthenticationTokenException",
  malformed_authorization: "IncompleteSignatureException",
  unknown_access_key: "UnrecognizedClientException",
  invalid_session_token: "UnrecognizedClientException",
  request_expired: "InvalidSignatureException",
  scope_mismatch: "InvalidSignatureException",
  payload_mismatch: "InvalidSignatureException",
  signature_mismatch: "InvalidSignatureException",
};

export function bedrockError(status: number, message?: string, type?: string): ProviderError {
  const known = BY_STATUS[status] ?? {
    type: status >= 500 ? "InternalServerException" : "ValidationException",
    message: "Request failed.",
  };
  return {
    status,
    body: { message: message ?? known.message },
    headers: { "x-amzn-errortype": `${type ?? known.type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
  };
}

/** ConverseStream's modelled in-stream exceptions, chosen by the status the same failure would have as a response. */
const STREAM_EXCEPTIONS: Record<number, string> = {
  400: "validationException",
  424: "modelStreamErrorException",
  429: "throttlingException",
  503: "serviceUnavailableException",
};

export function bedrockStreamException(status: number, message: string | undefined): Uint8Array {
  const type = STREAM_EXCEPTIONS[status] ?? "internalServerException";
  return encodeBedrockStreamException(
    type,
    message ?? BY_STATUS[status]?.message ?? "The server encountered an internal error while processing the request.",
  );
}

export function bedrockSignatureError(reason: AwsSignatureFailure, message: string): ProviderError {
  return bedrockError(403, message, SIGNATURE_FAILURES[reason]);
}
