import { AppError } from "@thinkwatch/errors";
import { describe, expect, it } from "vitest";
import { RequestRecord } from "./request-record.js";
import { unaryResponse } from "./unary-response.js";

const NONE: ReadonlySet<string> = new Set();
const context = () => ({
  record: new RequestRecord("req-unary-1", "openai_chat", null, null, undefined),
  inbound: "openai_chat" as const,
  upstreamFormat: "openai_chat" as const,
  passthrough: true,
  requestId: "req-unary-1",
});
/** A chat completion whose answer is `contentChars` long (quotes and escapes included, as a real answer has). */
const completion = (contentChars: number) =>
  JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    model: "gpt-4o",
    choices: [
      { index: 0, message: { role: "assistant", content: 'say "hi" \\ '.repeat(contentChars / 12) }, finish_reason: "stop" },
    ],
    usage: { prompt_tokens: 11, completion_tokens: 22, total_tokens: 33, prompt_tokens_details: { cached_tokens: 5 } },
  });

describe("unaryResponse, forwarded as received", () => {
  it.each([
    ["a short reply (parsed whole)", 1_000],
    ["a long reply (read without its choices)", 300_000],
  ])("%s: the client gets the upstream's bytes, the record gets its usage", async (_name, size) => {
    const ctx = context();
    const bytes = Buffer.from(completion(size));
    const response = unaryResponse(ctx, bytes, null, NONE);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(ctx.record.usage).toMatchObject({ inputTokens: 11, outputTokens: 22, cachedTokens: 5 });
    expect(ctx.record.usageReported).toBe(true);
    expect(ctx.record.errorCode).toBeNull();
  });

  it("does not parse a long reply's choices: what they hold reaches the client as the upstream sent it", async () => {
    const odd = (size: number) => completion(size).replace('"finish_reason":"stop"', '"finish_reason":stop');
    const ctx = context();
    const response = unaryResponse(ctx, Buffer.from(odd(300_000)), null, NONE);
    expect(await response.text()).toBe(odd(300_000));
    expect(ctx.record.usage).toMatchObject({ inputTokens: 11, outputTokens: 22 });
    // A short reply is parsed whole, so the same bytes are refused.
    expect(() => unaryResponse(context(), Buffer.from(odd(1_000)), null, NONE)).toThrow(/not JSON/);
  });

  it("refuses a long reply that is not JSON, as it refuses a short one", () => {
    for (const size of [1_000, 300_000]) {
      const text = completion(size);
      const cut = Buffer.from(text.slice(0, text.length - 40));
      expect(() => unaryResponse(context(), cut, null, NONE)).toThrow(AppError);
      expect(() => unaryResponse(context(), cut, null, NONE)).toThrow(/not JSON/);
    }
  });

  it("forwards a long reply whose usage is odd, and marks the usage unreadable", async () => {
    const ctx = context();
    const odd = completion(300_000).replace('"prompt_tokens":11', '"prompt_tokens":"eleven"');
    const response = unaryResponse(ctx, Buffer.from(odd), null, NONE);
    expect(await response.text()).toBe(odd);
    expect(ctx.record.errorCode).toBe("usage_unreadable");
  });
});
