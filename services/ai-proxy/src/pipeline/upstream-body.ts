/**
 * What goes upstream for a generation request. Same format and same model name: the client's bytes, untouched.
 * Otherwise the canonical request encoded for the upstream's format. One exception on purpose: an OpenAI stream
 * whose client did not ask for usage gets `stream_options.include_usage` added when the upstream accepts it, so
 * every request is accounted; the extra usage chunk is removed from what the client sees.
 */
import { LARGE_JSON_BYTES, stringifyJsonBytes } from "@thinkwatch/http";
import { encodeRequest, type InboundFormat, type UpstreamFormat } from "@thinkwatch/providers";
import type { Route } from "../routing/model-router.js";
import type { ProviderEndpoint } from "../upstream/provider-endpoints.js";
import type { UpstreamBytes } from "../upstream/upstream-http.js";
import type { ClientRequest } from "./client-request.js";

export interface UpstreamBody {
  /** A large body passed on as it came stays in the chunks it arrived in (see UpstreamBytes). */
  body: UpstreamBytes;
  /** Bytes and formats are identical: responses can be forwarded as they come. */
  passthrough: boolean;
  /** The gateway asked for a usage chunk the client did not: drop it from the client's stream. */
  hideUsageChunk: boolean;
  /** Parameters left out because the upstream format cannot express them (empty for a same-format request). */
  dropped: ReadonlySet<string>;
}

export interface ConversionPolicy {
  /** Refuse with a 400 instead of dropping. */
  strict: boolean;
  /** Send Anthropic `metadata.user_id` on as OpenAI `user`. */
  forwardMetadataUser: boolean;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * A body passed on as it came is written upstream in its own chunks from this size: below it, one buffer written at
 * once costs less than undici's chunk-by-chunk writes (measured with `npm run bench -- proxy --compare --body-kb`).
 */
const CHUNKED_PASS_BYTES = 512 * 1024;

export function upstreamBody(
  inbound: InboundFormat,
  format: UpstreamFormat,
  endpoint: ProviderEndpoint,
  route: Route,
  request: ClientRequest,
  policy: ConversionPolicy,
  /** The client's framing differs from the upstream's even in the same format (Gemini streamed as a JSON array). */
  framingDiffers = false,
): UpstreamBody {
  const sameFormat = format === inbound && !framingDiffers;
  const wantsUsage = format === "openai_chat" && endpoint.streamUsageOption(route.provider);
  if (sameFormat) {
    // Gemini carries the model in the URL, so its body never names it.
    const modelInBody = inbound !== "gemini";
    const { head, body } = request;
    const injectUsage = inbound === "openai_chat" && head.stream && !head.includeUsage && wantsUsage;
    if (!injectUsage && (!modelInBody || route.upstreamModel === head.model)) {
      // Not even parsed when only its head was read, nor joined into one buffer when it is large.
      return {
        body: body.length > CHUNKED_PASS_BYTES ? body : body.bytes(),
        passthrough: true,
        hideUsageChunk: false,
        dropped: NONE,
      };
    }
    const rewritten: Record<string, unknown> = { ...(request.json() as Record<string, unknown>) };
    if (modelInBody) rewritten.model = route.upstreamModel;
    if (injectUsage) rewritten.stream_options = { ...(rewritten.stream_options as object | undefined), include_usage: true };
    return { body: encodeBody(rewritten, body.length), passthrough: true, hideUsageChunk: injectUsage, dropped: NONE };
  }
  const dropped = new Set<string>();
  const encoded = encodeRequest(format, request.canonical(), {
    upstreamModel: route.upstreamModel,
    dropped,
    strict: policy.strict,
    forwardMetadataUser: policy.forwardMetadataUser,
  });
  if (format === "openai_chat" && !wantsUsage) delete encoded.stream_options;
  return { body: encodeBody(encoded, request.body.length), passthrough: false, hideUsageChunk: false, dropped };
}

/** A body re-encoded from a large one is written as bytes piece by piece, never as one string (stringifyJsonBytes). */
function encodeBody(value: unknown, clientBytes: number): string | Uint8Array {
  return clientBytes > LARGE_JSON_BYTES ? stringifyJsonBytes(value) : JSON.stringify(value);
}
