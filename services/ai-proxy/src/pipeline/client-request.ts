/**
 * A client's generation request as the pipeline reads it: its bytes, its head (model, stream, usage option, max
 * tokens, reasoning) at once, and its JSON and canonical form only when something needs them. A body up to
 * LARGE_JSON_BYTES is parsed and decoded whole as it arrives (validated field by field, and cheap). A larger one —
 * a coding agent's conversation — is read for its head only, its conversation delimited but not decoded: when its
 * route forwards it as it came, it is never parsed, and the upstream validates the conversation. A route that needs
 * it converted (or rewritten) decodes it then, with the same errors a whole decode gives. The body is kept in the
 * chunks it arrived in: a large one forwarded as it came is read across them and never joined into one buffer.
 */
import { BodyChunks, LARGE_JSON_BYTES, parseJsonBody, parseJsonBodySkipping } from "@thinkwatch/http";
import {
  type CanonicalRequest,
  CONVERSATION_MEMBER,
  type DecodeRequestOptions,
  decodeRequest,
  decodeRequestHead,
  type InboundFormat,
  type RequestHead,
  requestHeadOf,
} from "@thinkwatch/providers";

export class ClientRequest {
  #json: unknown;
  #canonical: CanonicalRequest | undefined;

  private constructor(
    readonly format: InboundFormat,
    /** The body's bytes, as they arrived. */
    readonly body: BodyChunks,
    readonly head: RequestHead,
    private readonly options: DecodeRequestOptions,
    json: unknown,
    canonical: CanonicalRequest | undefined,
  ) {
    this.#json = json;
    this.#canonical = canonical;
  }

  /** Reads `raw` (see above); throws the 400 of an invalid body. */
  static read(format: InboundFormat, raw: Uint8Array | BodyChunks, options: DecodeRequestOptions = {}): ClientRequest {
    const body = raw instanceof BodyChunks ? raw : BodyChunks.of(raw);
    if (body.length > LARGE_JSON_BYTES) {
      const conversation = CONVERSATION_MEMBER[format];
      const read = parseJsonBodySkipping(body, new Set([conversation]));
      const head = read?.skipped.has(conversation) === true ? headOrUndefined(format, read.members, options) : undefined;
      if (head !== undefined) return new ClientRequest(format, body, head, options, undefined, undefined);
    }
    const json = parseJsonBody(body.bytes());
    const canonical = decodeRequest(format, json, options);
    return new ClientRequest(format, body, requestHeadOf(canonical), options, json, canonical);
  }

  /** The body's JSON, parsed on first use. */
  json(): unknown {
    if (this.#json === undefined) this.#json = parseJsonBody(this.body.bytes());
    return this.#json;
  }

  /** The canonical request, decoded on first use (throws the 400 of an invalid body). */
  canonical(): CanonicalRequest {
    this.#canonical ??= decodeRequest(this.format, this.json(), this.options);
    return this.#canonical;
  }
}

/** A head that does not decode is judged by the whole decode instead, so its error is the one a whole decode gives. */
function headOrUndefined(
  format: InboundFormat,
  members: Record<string, unknown>,
  options: DecodeRequestOptions,
): RequestHead | undefined {
  try {
    return decodeRequestHead(format, members, options);
  } catch {
    return undefined;
  }
}
