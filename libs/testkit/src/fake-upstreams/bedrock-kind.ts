/**
 * The Bedrock Runtime fake: `POST /model/{modelId}/converse` (JSON) and `/converse-stream`
 * (`application/vnd.amazon.eventstream`). Every request must carry a SigV4 signature (service `bedrock`, the
 * configured region) by the configured credentials, checked as AWS checks it; failures get AWS's 403.
 */
import { verifyAwsSignature } from "../aws/sigv4-verify.js";
import { bedrockError, bedrockSignatureError, bedrockStreamException } from "./bedrock-error.js";
import { parseConverseRequest } from "./bedrock-request.js";
import { renderConverse, renderConverseStream } from "./bedrock-response.js";
import type { FakeExchange } from "./fake-exchange.js";
import type { FakeHandler } from "./fake-server.js";
import type { ResolvedFakeConfig } from "./fake-upstream-config.js";
import { type FakeRuntime, type GenerationProtocol, runGeneration } from "./generation-flow.js";
import { sendProviderError } from "./respond.js";

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;
/** Reported as metrics.latencyMs: a fixed value keeps responses identical from run to run. */
const LATENCY_MS = 42;

export function createBedrockHandler(config: ResolvedFakeConfig, runtime: FakeRuntime): FakeHandler {
  const credentials = config.awsCredentials;
  const lookup = (accessKeyId: string) => (accessKeyId === credentials.accessKeyId ? credentials : undefined);
  const requestId = () => {
    const hex = runtime.ids.next("", 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
  const protocol = (modelId: string, stream: boolean): GenerationProtocol => ({
    parse(exchange) {
      const conversation = parseConverseRequest(exchange.request.body, modelId, stream);
      return {
        conversation,
        renderJson: (reply) => renderConverse(reply, LATENCY_MS),
        renderStream: (reply) => ({
          contentType: "application/vnd.amazon.eventstream",
          chunks: renderConverseStream(reply, LATENCY_MS),
        }),
      };
    },
    toolCallId: (ids) => ids.next("tooluse_", 22),
    error: (status, message) => withRequestId(bedrockError(status, message)),
    streamError: (status, message) => bedrockStreamException(status, message),
    responseHeaders: () => ({ "x-amzn-requestid": requestId() }),
  });
  const withRequestId = <T extends { headers?: Record<string, string> }>(error: T): T => ({
    ...error,
    headers: { ...error.headers, "x-amzn-requestid": requestId() },
  });

  return async (exchange: FakeExchange) => {
    const verdict = verifyAwsSignature(
      { method: exchange.request.method, url: exchange.target, headers: exchange.request.headers, body: exchange.bodyBytes },
      lookup,
      { region: config.region, service: "bedrock" },
    );
    if (!verdict.ok) return sendProviderError(exchange, withRequestId(bedrockSignatureError(verdict.reason, verdict.message)));
    const match = exchange.request.method === "POST" ? ROUTE.exec(exchange.request.path) : null;
    if (match === null)
      return sendProviderError(
        exchange,
        withRequestId(bedrockError(404, "The requested operation is not supported.", "UnknownOperationException")),
      );
    const modelId = decodeURIComponent(match[1] as string);
    return runGeneration(exchange, protocol(modelId, match[2] === "converse-stream"), runtime);
  };
}
