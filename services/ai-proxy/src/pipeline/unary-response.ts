/**
 * A non-streaming generation answer: forwarded as received when formats match, otherwise decoded from the
 * upstream's format and encoded in the client's. Usage is read for the audit event either way (only the usage
 * object when forwarding).
 */
import { AppError } from "@thinkwatch/errors";
import { carryingRequestId, parseJsonBodySkipping } from "@thinkwatch/http";
import type { QuotaHeadroom } from "@thinkwatch/proto";
import {
  decodeResponse,
  encodeResponse,
  type InboundFormat,
  parseUpstreamError,
  REPLY_CONTENT_MEMBER,
  readResponseUsage,
  type UpstreamFormat,
} from "@thinkwatch/providers";
import { setRateLimitHeaders } from "../quota/rate-limit-headers.js";
import type { UpstreamResponse } from "../upstream/upstream-http.js";
import { addDroppedHeader } from "./conversion-policy.js";
import type { RequestRecord } from "./request-record.js";
import { toRecordUsage } from "./usage.js";

export interface UnaryContext {
  record: RequestRecord;
  inbound: InboundFormat;
  upstreamFormat: UpstreamFormat;
  passthrough: boolean;
  requestId: string;
}

/**
 * `bytes`: the whole upstream body (already read inside the retry loop). Every header is set before the Response is
 * built, as a plain object: on Node, touching a built response's headers makes a Headers object per answer.
 */
export function unaryResponse(
  ctx: UnaryContext,
  bytes: Uint8Array,
  headroom: QuotaHeadroom | null,
  dropped: ReadonlySet<string>,
): Response {
  const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": ctx.requestId };
  setRateLimitHeaders(headers, headroom);
  addDroppedHeader(headers, dropped);
  ctx.record.markFirstToken();
  if (ctx.passthrough) {
    const reply = replyForUsage(ctx.upstreamFormat, bytes);
    // The client gets the bytes whatever they hold; reading usage from them is best effort.
    try {
      ctx.record.setUsage(toRecordUsage(readResponseUsage(ctx.upstreamFormat, reply)));
    } catch {
      ctx.record.errorCode = "usage_unreadable";
    }
    return carryingRequestId(new Response(bytes, { status: 200, headers }));
  }
  const json = parseReply(bytes);
  const canonical = decodeResponse(ctx.upstreamFormat, json);
  ctx.record.setUsage(toRecordUsage(canonical.usage));
  const body = encodeResponse(ctx.inbound, canonical, { model: ctx.record.model, requestId: ctx.requestId });
  return carryingRequestId(new Response(JSON.stringify(body), { status: 200, headers }));
}

function parseReply(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch (cause) {
    throw new AppError("upstream_error", "the upstream provider answered with a body that is not JSON", { cause });
  }
}

/**
 * Replies past this size are read for usage without their content: measured on a chat completion, the targeted read
 * costs more than JSON.parse below ~10 KB and a quarter of it at 256 KB (8 vs 10 µs at 16 KB, 25 vs 35 µs at 64 KB).
 */
const TARGETED_REPLY_BYTES = 32 * 1024;

/**
 * What readResponseUsage needs of a forwarded reply: the whole JSON, or for a long reply its members but the content
 * (a reply that cannot be read that way is parsed whole, which says what is wrong with it).
 */
function replyForUsage(format: UpstreamFormat, bytes: Uint8Array): unknown {
  if (bytes.length > TARGETED_REPLY_BYTES) {
    const read = parseJsonBodySkipping(bytes, new Set([REPLY_CONTENT_MEMBER[format]]));
    if (read !== undefined) return read.members;
  }
  return parseReply(bytes);
}

/**
 * An upstream error status. Same-format 4xx bodies are already in the caller's shape and go through unchanged;
 * everything else becomes an AppError to render in the caller's shape.
 */
export async function upstreamErrorResponse(ctx: UnaryContext, upstream: UpstreamResponse): Promise<Response | AppError> {
  const text = await upstream.body.text();
  // The provider refusing *the gateway's* credentials is not the caller's 401/403: their ThinkWatch key was fine.
  if (upstream.status === 401 || upstream.status === 403) {
    return new AppError(
      "upstream_error",
      `the upstream provider refused the gateway's credentials (HTTP ${upstream.status}); ask an admin to check the provider's API key`,
      {
        details: { upstreamStatus: upstream.status },
      },
    );
  }
  if (ctx.passthrough && upstream.status < 500) {
    return new Response(text, {
      status: upstream.status,
      headers: { "content-type": "application/json", "x-request-id": ctx.requestId },
    });
  }
  return parseUpstreamError(ctx.upstreamFormat, upstream.status, text);
}
