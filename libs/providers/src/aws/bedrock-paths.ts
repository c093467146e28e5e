/**
 * URLs of the Bedrock Runtime API. The model id is one path segment and is percent-encoded the way the AWS SDK
 * encodes it (`anthropic.claude-3-5-sonnet-20240620-v1:0` → `…-v1%3A0`, an ARN's `/` → `%2F`), which is also the
 * path SigV4 must sign.
 */
import { encodeRfc3986 } from "./uri-encode.js";

export type BedrockRuntimeOperation = "converse" | "converse-stream" | "invoke" | "invoke-with-response-stream";

export function bedrockRuntimePath(modelId: string, operation: BedrockRuntimeOperation): string {
  return `/model/${encodeRfc3986(modelId)}/${operation}`;
}

export function bedrockRuntimeEndpoint(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}
