import { describe, expect, it } from "vitest";
import { JsonArraySplitter } from "./json-array-splitter.js";
import { type SseEvent, SseParser } from "./sse-parser.js";

function parse(chunks: Array<string | Uint8Array>): SseEvent[] {
  const parser = new SseParser();
  const out: SseEvent[] = [];
  for (const chunk of chunks) out.push(...parser.push(chunk));
  out.push(...parser.end());
  return out;
}

const CASES: Array<[string, string, SseEvent[]]> = [
  ["LF line ends", "data: a\n\ndata: b\n\n", [{ data: "a" }, { data: "b" }]],
  ["CRLF line ends", "event: x\r\ndata: a\r\n\r\n", [{ event: "x", data: "a" }]],
  ["bare CR line ends", "data: a\r\rdata: b\r\r", [{ data: "a" }, { data: "b" }]],
  ["multi-line data joined with newlines", "data: line one\ndata: line two\n\n", [{ data: "line one\nline two" }]],
  ["comments and keep-alives ignored", ": ping\n\n:\ndata: a\n\n", [{ data: "a" }]],
  ["no space after the colon", "data:a\n\n", [{ data: "a" }]],
  ["only one leading space removed", "data:  a\n\n", [{ data: " a" }]],
  ["a field without a colon", "data\n\n", [{ data: "" }]],
  ["an event name without data is not dispatched", "event: ping\n\ndata: a\n\n", [{ data: "a" }]],
  ["the event name resets after each event", "event: x\ndata: 1\n\ndata: 2\n\n", [{ event: "x", data: "1" }, { data: "2" }]],
  [
    "ids are remembered across events",
    "id: 7\ndata: 1\n\ndata: 2\n\n",
    [
      { id: "7", data: "1" },
      { id: "7", data: "2" },
    ],
  ],
  ["unknown fields and retry ignored", "retry: 100\nfoo: bar\ndata: a\n\n", [{ data: "a" }]],
  ["a byte order mark at the start", "\uFEFFdata: a\n\n", [{ data: "a" }]],
  ["a final event without its blank line is still delivered", "data: a\n\ndata: last", [{ data: "a" }, { data: "last" }]],
  ["unicode text", 'data: {"t":"héllo 世界 🎉"}\n\n', [{ data: '{"t":"héllo 世界 🎉"}' }]],
];

describe("SseParser", () => {
  it.each(CASES)("handles %s", (_name, input, expected) => {
    expect(parse([input])).toEqual(expected);
  });

  it.each(CASES)("handles %s split at every point", (_name, input, expected) => {
    for (let at = 0; at <= input.length; at++) expect(parse([input.slice(0, at), input.slice(at)])).toEqual(expected);
  });

  it.each(CASES)("handles %s fed one byte at a time, multi-byte characters split across chunks", (_name, input, expected) => {
    const bytes = new TextEncoder().encode(input);
    expect(parse(Array.from(bytes, (_b, i) => bytes.subarray(i, i + 1)))).toEqual(expected);
  });

  it("keeps a CRLF split across two chunks as one line end", () => {
    expect(parse(["data: a\r", "\n\r", "\ndata: b\r\n\r\n"])).toEqual([{ data: "a" }, { data: "b" }]);
  });

  it("assembles a long line fed character by character", () => {
    const payload = "x".repeat(100_000);
    const input = `data: ${payload}\n\n`;
    expect(parse(Array.from(input))).toEqual([{ data: payload }]);
  });
});

describe("JsonArraySplitter", () => {
  const splitAll = (chunks: string[]) => {
    const splitter = new JsonArraySplitter();
    return chunks.flatMap((chunk) => splitter.push(chunk));
  };
  const input = '[{"a":"}{[\\"]","b":[1,{"c":2}]},\r\n{"d":"x"}]';

  it("yields each element as soon as it is complete, ignoring brackets inside strings", () => {
    expect(splitAll([input])).toEqual(['{"a":"}{[\\"]","b":[1,{"c":2}]}', '{"d":"x"}']);
  });

  it("gives the same elements at every split point", () => {
    for (let at = 0; at <= input.length; at++) expect(splitAll([input.slice(0, at), input.slice(at)])).toEqual(splitAll([input]));
  });
});
