import { LARGE_JSON_BYTES } from "@thinkwatch/http";
import { describe, expect, it } from "vitest";
import { ClientRequest } from "./client-request.js";

const turn = (i: number) => ({ role: i % 2 === 0 ? "user" : "assistant", content: `line "${i}" \\ naïve\n`.repeat(400) });
const conversation = (bytes: number) => {
  const messages = [];
  for (let i = 0; JSON.stringify(messages).length < bytes; i++) messages.push(turn(i));
  return messages;
};

describe("ClientRequest", () => {
  it("reads a large body's head without parsing its conversation, and decodes it whole only when asked", () => {
    const body = JSON.stringify({ model: "gpt-4o", messages: conversation(LARGE_JSON_BYTES * 2), stream: true, max_tokens: 50 });
    // The conversation broken deep inside: only a whole decode can tell.
    const broken = Buffer.from(`${body.slice(0, body.indexOf(',"stream"') - 1)},]${body.slice(body.indexOf(',"stream"'))}`);
    const request = ClientRequest.read("openai_chat", broken);
    expect(request.head).toEqual({ model: "gpt-4o", stream: true, includeUsage: false, maxTokens: 50 });
    expect(request.body.bytes()).toBe(broken);
    expect(() => request.canonical()).toThrow(/not valid JSON/);
    // Intact, the whole decode is the body's.
    const intact = ClientRequest.read("openai_chat", Buffer.from(body));
    expect(intact.canonical().messages).toHaveLength(JSON.parse(body).messages.length);
    expect(intact.json()).toEqual(JSON.parse(body));
  });

  it("decodes a small body whole at once: an invalid one is refused when read", () => {
    const small = Buffer.from(JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], max_tokens: 5 }));
    expect(ClientRequest.read("openai_chat", small).head).toEqual({
      model: "gpt-4o",
      stream: false,
      includeUsage: false,
      maxTokens: 5,
    });
    expect(() => ClientRequest.read("openai_chat", Buffer.from('{"model":"gpt-4o","messages":[,]}'))).toThrow(/not valid JSON/);
  });

  it("judges a large body by the whole decode when its head cannot be read on its own", () => {
    const messages = conversation(LARGE_JSON_BYTES * 2);
    // No conversation member at all: the whole decode names what is missing.
    expect(() => ClientRequest.read("openai_chat", Buffer.from(JSON.stringify({ model: "gpt-4o", history: messages })))).toThrow(
      /messages/,
    );
    // A bad member around the conversation: refused as the whole decode refuses it.
    expect(() =>
      ClientRequest.read("openai_chat", Buffer.from(JSON.stringify({ model: "gpt-4o", messages, max_tokens: "many" }))),
    ).toThrow(/max_tokens/);
  });
});
