/**
 * parseJsonBytes against JSON.parse itself: on random documents (cut into pieces of a few bytes, so every path of
 * the splitter runs on small inputs) and on random corruptions of them, both give the same value — same key order,
 * duplicate keys, `__proto__` as an own property — or both refuse the input. parseJsonObjectSkipping (the targeted
 * read of a body's members around its conversation) against JSON.parse likewise, on the members it reads, each body
 * read both whole and cut into chunks of 0 to 6 bytes (so strings, escapes and tokens straddle chunk boundaries).
 */
import { seededRandom as random } from "@thinkwatch/testkit";
import { describe, expect, it } from "vitest";
import { BodyChunks } from "./body-chunks.js";
import { parseJsonBytes, parseJsonObjectSkipping } from "./parse-json-bytes.js";

const KEYS = ["a", "model", "messages", "__proto__", "content", "a", "é", 'x"y', "back\\slash", "1", "constructor"];
const STRINGS = ["", "plain", 'quote " inside', "back \\ slash", "line\nbreak", "emoji 😀", "ünïcødé", "\u0000", "{[,]}:", '\\"'];
const SPACES = ["", " ", "\n", "\t", " \r\n "];

function document(next: () => number, depth: number): string {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)] as T;
  const space = () => pick(SPACES);
  const roll = next();
  if (depth > 5 || roll < 0.3) {
    const leaf = next();
    if (leaf < 0.4) return JSON.stringify(pick(STRINGS).repeat(1 + Math.floor(next() * 5)));
    if (leaf < 0.7) return pick(["0", "-1", "3.25", "1e5", "-2.5E-3", "12345678901234567890"]);
    return pick(["true", "false", "null"]);
  }
  const count = Math.floor(next() * 6);
  const parts = Array.from({ length: count }, () =>
    roll < 0.65
      ? `${space()}${JSON.stringify(pick(KEYS))}${space()}:${space()}${document(next, depth + 1)}${space()}`
      : `${space()}${document(next, depth + 1)}${space()}`,
  );
  return roll < 0.65 ? `{${parts.join(",")}${space()}}` : `[${parts.join(",")}${space()}]`;
}

function corrupt(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const kind = next();
  if (kind < 0.3) return text.slice(0, at) + text.slice(at + 1);
  if (kind < 0.6)
    return text.slice(0, at) + ["{", "}", "[", "]", ",", ":", '"', "\\", "x", "0"][Math.floor(next() * 10)] + text.slice(at);
  if (kind < 0.8) return text.slice(0, at);
  return text.slice(0, at) + text.slice(at, at + 3) + text.slice(at);
}

/** The outcome as comparable data: the value with its key order, prototypes checked, or the fact of an error. */
function outcome(parse: () => unknown): { ok: true; text: string; keys: string[] } | { ok: false } {
  try {
    const value = parse();
    const keys: string[] = [];
    const walk = (node: unknown) => {
      if (typeof node !== "object" || node === null) return;
      if (!Array.isArray(node)) expect(Object.getPrototypeOf(node)).toBe(Object.prototype);
      for (const key of Object.keys(node)) {
        keys.push(key);
        walk((node as Record<string, unknown>)[key]);
      }
    };
    walk(value);
    return { ok: true, text: JSON.stringify(value), keys };
  } catch (caught) {
    expect(caught).toBeInstanceOf(SyntaxError);
    return { ok: false };
  }
}

describe("parseJsonBytes", () => {
  it("gives what JSON.parse gives on 3,000 random documents, cut into pieces as small as 8 bytes", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed);
      const text = `${SPACES[seed % SPACES.length]}${document(next, 0)}${SPACES[(seed >> 2) % SPACES.length]}`;
      const bytes = Buffer.from(text);
      const pieceBytes = [8, 16, 64, 1024][seed % 4] as number;
      expect(
        outcome(() => parseJsonBytes(bytes, pieceBytes, 0)),
        `seed ${seed}: ${text}`,
      ).toEqual(outcome(() => JSON.parse(text)));
    }
  });

  it("refuses exactly what JSON.parse refuses on 6,000 random corruptions", () => {
    let refused = 0;
    for (let seed = 1; seed <= 6000; seed++) {
      const next = random(seed * 7919);
      // The reference is what a body's bytes gave before: decoded as UTF-8, then JSON.parse (a corruption may cut a
      // surrogate pair, which the bytes carry as U+FFFD).
      const bytes = Buffer.from(corrupt(document(next, 0), next));
      const text = bytes.toString("utf8");
      const expected = outcome(() => JSON.parse(text));
      if (!expected.ok) refused += 1;
      expect(
        outcome(() => parseJsonBytes(bytes, [8, 16, 64][seed % 3], 0)),
        `seed ${seed}: ${text}`,
      ).toEqual(expected);
    }
    // The corruptions do break most documents: the comparison is not only of valid input.
    expect(refused).toBeGreaterThan(3000);
  });

  it("keeps `__proto__` an own property and duplicate keys in JSON.parse's order, across split members", () => {
    const text = `{"__proto__": {"polluted": true}, "a": 1, "big": ${JSON.stringify("x".repeat(100))}, "a": 2}`;
    const parsed = parseJsonBytes(Buffer.from(text), 16, 0) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(["__proto__", "a", "big"]);
    expect(parsed.a).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("parses a 1 MB coding-agent body to what JSON.parse gives, with no piece over the limit", () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content: `file ${i}:\n${'export const x = "\\\\";\n'.repeat(450)}`,
    }));
    const text = JSON.stringify({ model: "gpt-4o-mini", stream: false, messages });
    expect(text.length).toBeGreaterThan(1_000_000);
    const pieces: number[] = [];
    const original = JSON.parse;
    JSON.parse = ((source: string, reviver?: never) => {
      pieces.push(source.length);
      return original(source, reviver);
    }) as typeof JSON.parse;
    let parsed: unknown;
    try {
      parsed = parseJsonBytes(Buffer.from(text));
    } finally {
      JSON.parse = original;
    }
    expect(parsed).toEqual(original(text));
    expect(Math.max(...pieces)).toBeLessThanOrEqual(48 * 1024 + 2);
  });

  it("parses a body nested deeper than it splits (a megabyte of brackets) as JSON.parse does", () => {
    const text = `${"[".repeat(100)}${"0,".repeat(300_000)}0${"]".repeat(100)}`;
    expect(JSON.stringify(parseJsonBytes(Buffer.from(text)))).toBe(JSON.stringify(JSON.parse(text)));
    expect(() => parseJsonBytes(Buffer.from(text.slice(0, -1)))).toThrow(SyntaxError);
  });
});

/** The text's UTF-8 bytes as chunks of 0 to 6 bytes (a multi-byte character may be cut too). */
function chunked(text: string, next: () => number): BodyChunks {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = Math.floor(next() * 7);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return new BodyChunks(chunks, bytes.length);
}

describe("parseJsonObjectSkipping", () => {
  const skip = new Set(["messages"]);
  /** The same read of the whole text and of the text in chunks. */
  const read = (text: string, next: () => number) => {
    const whole = parseJsonObjectSkipping(Buffer.from(text), skip);
    const pieces = parseJsonObjectSkipping(chunked(text, next), skip);
    expect(pieces === undefined ? undefined : { members: JSON.stringify(pieces.members), skipped: pieces.skipped }).toEqual(
      whole === undefined ? undefined : { members: JSON.stringify(whole.members), skipped: whole.skipped },
    );
    return whole;
  };
  /** JSON.parse's members without the skipped ones, in comparable form (key order kept). */
  const expectedMembers = (text: string) => {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    // fromEntries defines own properties (`__proto__` included), as JSON.parse does.
    const members = Object.fromEntries(Object.entries(parsed).filter(([key]) => !skip.has(key)));
    return { members: JSON.stringify(members), skipped: Object.keys(parsed).filter((key) => skip.has(key)) };
  };

  it("reads every member but the skipped ones as JSON.parse does, on 3,000 random objects", () => {
    let objects = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed * 31);
      const text = `${SPACES[seed % SPACES.length]}${document(next, 0)}`;
      const members = read(text, next);
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        expect(members, `seed ${seed}: ${text}`).toBeUndefined();
        continue;
      }
      objects += 1;
      expect(members, `seed ${seed}: ${text}`).toBeDefined();
      expect(
        { members: JSON.stringify(members?.members), skipped: [...(members?.skipped ?? [])] },
        `seed ${seed}: ${text}`,
      ).toEqual(expectedMembers(text));
    }
    expect(objects).toBeGreaterThan(1000);
  });

  it("refuses or reads as JSON.parse does any corruption outside the skipped member", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed * 104_729);
      // Objects without the skipped member: every byte is read, so the verdict must be JSON.parse's.
      const text = corrupt(JSON.stringify({ model: "m", stream: next() < 0.5, n: [1, { a: 'x"y' }], e: "é" }), next);
      const members = read(text, next);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        expect(members, `seed ${seed}: ${text}`).toBeUndefined();
        continue;
      }
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
        expect(JSON.stringify(members?.members), `seed ${seed}: ${text}`).toBe(JSON.stringify(parsed));
      } else {
        expect(members, `seed ${seed}: ${text}`).toBeUndefined();
      }
    }
  });

  it("only delimits the skipped member: its contents are not checked, its brackets and strings are", () => {
    const body = (messages: string) => Buffer.from(`{"model":"m","messages":${messages},"stream":true}`);
    expect(parseJsonObjectSkipping(body('[{"role":"user","content":"a ] } \\" ,"},]'), skip)).toEqual({
      members: { model: "m", stream: true },
      skipped: new Set(["messages"]),
    });
    expect(parseJsonObjectSkipping(body('[{"role":"user"}'), skip)).toBeUndefined();
    expect(parseJsonObjectSkipping(body('["unterminated]'), skip)).toBeUndefined();
    // A later duplicate wins, as in JSON.parse, and `__proto__` stays an own property.
    const read = parseJsonObjectSkipping(Buffer.from('{"messages":[],"__proto__":{"x":1},"messages":1,"messages":[2]}'), skip);
    expect(Object.getPrototypeOf(read?.members)).toBe(Object.prototype);
    expect(Object.keys(read?.members ?? {})).toEqual(["__proto__"]);
    expect(read?.skipped).toEqual(new Set(["messages"]));
    const shadowed = parseJsonObjectSkipping(Buffer.from('{"model":"a","messages":[],"model":"b"}'), skip);
    expect(shadowed?.members).toEqual({ model: "b" });
  });
});
