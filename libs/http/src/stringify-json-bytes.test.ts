/**
 * stringifyJsonBytes gives the bytes of JSON.stringify exactly: on random documents (members left out or nulled as
 * JSON.stringify does, toJSON with its key, non-ASCII text) and on a 1 MB coding-agent body.
 */
import { seededRandom as random } from "@thinkwatch/testkit";
import { describe, expect, it } from "vitest";
import { stringifyJsonBytes } from "./stringify-json-bytes.js";

const LEAVES: unknown[] = [
  "",
  "plain",
  'quote " and \\ backslash',
  "emoji 😀 ünïcødé",
  "\u0000\u001f",
  "\ud800 lone surrogate",
  0,
  -1.5,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  undefined,
  () => 1,
  Symbol("s"),
  new Date(0),
  { toJSON: (key: string) => `key was ${key}` },
  { toJSON: () => undefined },
];

function document(next: () => number, depth: number): unknown {
  const roll = next();
  if (depth > 4 || roll < 0.35) return LEAVES[Math.floor(next() * LEAVES.length)];
  const count = Math.floor(next() * 5);
  if (roll < 0.65) {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < count; i++)
      object[["a", "b", "__x", "é", "1", "0"][Math.floor(next() * 6)] as string] = document(next, depth + 1);
    return object;
  }
  return Array.from({ length: count }, () => document(next, depth + 1));
}

describe("stringifyJsonBytes", () => {
  it("writes the bytes of JSON.stringify for 5,000 random documents", () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const value = document(random(seed), 0);
      const expected = JSON.stringify(value);
      if (expected === undefined) continue;
      expect(stringifyJsonBytes(value).toString("utf8"), `seed ${seed}`).toBe(Buffer.from(expected).toString("utf8"));
    }
  });

  it("writes a 1 MB body as JSON.stringify does", () => {
    const body = {
      model: "gpt-4o",
      max_tokens: 1024,
      messages: Array.from({ length: 100 }, (_, i) => ({
        role: i % 2 ? "assistant" : "user",
        content: `é "${i}"\n`.repeat(1500),
      })),
    };
    expect(stringifyJsonBytes(body).equals(Buffer.from(JSON.stringify(body)))).toBe(true);
  });
});
