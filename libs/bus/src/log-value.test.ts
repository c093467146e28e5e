import { describe, expect, it } from "vitest";
import {
  isSanitized,
  MAX_LOG_STRING_BYTES,
  type SanitizeReport,
  sanitizeString,
  sanitizeValue,
  TRUNCATION_MARKER,
} from "./log-value.js";

describe("sanitizeString", () => {
  it.each([
    ["a clean string", "gpt-4o", "gpt-4o", ""],
    ["a valid surrogate pair (emoji)", "hi 😀", "hi 😀", ""],
    ["a lone high surrogate", "gpt-4o\ud800", "gpt-4o\ufffd", "replaced"],
    ["a lone low surrogate", "\udc00x", "\ufffdx", "replaced"],
    ["a NUL byte", "a\u0000b", "a\ufffdb", "replaced"],
    ["other control characters", "a\u0007\u001b[31mb\u007f", "a\ufffd\ufffd[31mb\ufffd", "replaced"],
    ["tab, newline and carriage return", "a\tb\nc\r", "a\tb\nc\r", ""],
  ])("handles %s", (_name, input, output, note) => {
    expect(sanitizeString(input)).toEqual({ value: output, note });
  });

  it("cuts a string past the byte budget at a character boundary and marks it", () => {
    const { value, note } = sanitizeString("é".repeat(MAX_LOG_STRING_BYTES));
    expect(note).toBe("truncated");
    expect(value.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(MAX_LOG_STRING_BYTES);
    expect(value).not.toContain("\ufffd");
  });

  it("reports a string an earlier hop already cut", () => {
    expect(sanitizeString(`abc${TRUNCATION_MARKER}`).note).toBe("truncated");
  });

  it("leaves odd characters alone when asked only to cut", () => {
    expect(sanitizeString("x\ud800", 100, false)).toEqual({ value: "x\ud800", note: "" });
  });
});

describe("sanitizeValue", () => {
  it("walks objects and arrays, keys included, and notes each change by path", () => {
    const report: SanitizeReport = { notes: [] };
    const out = sanitizeValue({ model: "m\ud800", details: { "k\u0000": ["ok", "\udfff"] }, n: Number.NaN, ok: true }, report);
    expect(out).toEqual({ model: "m\ufffd", details: { "k\ufffd": ["ok", "\ufffd"] }, n: null, ok: true });
    expect(report.notes).toEqual(["model:replaced", "details.k\ufffd[1]:replaced", "n:replaced"]);
  });

  it("caps nesting depth", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const report: SanitizeReport = { notes: [] };
    expect(JSON.stringify(sanitizeValue(deep, report))).toBe('{"d":{"d":{"d":{"d":{"d":{"d":{"d":{"d":null}}}}}}}}');
    expect(report.notes).toHaveLength(1);
  });
});

describe("secrets never pass", () => {
  const key = `tw-${"A1b2C3d4E5".repeat(4)}`;
  it.each([
    ["a virtual key anywhere", `called with ${key} today`, "called with [redacted] today"],
    [
      "?key= in a URL",
      "/v1beta/models/g:generateContent?key=AIzaSyA-secret_1&alt=sse",
      "/v1beta/models/g:generateContent?key=[redacted]&alt=sse",
    ],
    [
      "&api_key= and access_token=",
      "https://x/y?a=1&api_key=abc123&access_token=zzz",
      "https://x/y?a=1&api_key=[redacted]&access_token=[redacted]",
    ],
    ["a bearer token", "Authorization: Bearer sk-live-0123456789", "Authorization: Bearer [redacted]"],
  ])("redacts %s", (_name, input, output) => {
    expect(sanitizeString(input)).toEqual({ value: output, note: "redacted" });
  });

  it("leaves ordinary text with = signs alone", () => {
    expect(sanitizeString("status=200 model=gpt-4o")).toEqual({ value: "status=200 model=gpt-4o", note: "" });
  });
});

describe("isSanitized", () => {
  const key = `tw-${"A1b2C3d4E5".repeat(4)}`;
  let deep: unknown = "bottom";
  for (let i = 0; i < 9; i++) deep = { d: deep };
  const cases: Array<[string, unknown]> = [
    ["a plain event", { eventId: "e1", model: "gpt-4o", tokens: [1, 2, 3], details: { ok: true, none: null } }],
    ["an empty object", {}],
    ["a secret in a value", { prompt: `use ${key}` }],
    ["a secret in a key", { [`Bearer ${"x".repeat(12)}`]: 1 }],
    ["a control character", { model: "m\u0000" }],
    ["a lone surrogate in a key", { "k\ud800": "v" }],
    ["a non-finite number", { cost: Number.POSITIVE_INFINITY }],
    ["a string past the budget", { text: "a".repeat(20_000) }],
    ["a string cut before", { text: `abc${TRUNCATION_MARKER}` }],
    ["nesting past the cap", deep],
    ["an array past the cap", { items: new Array(1001).fill(0) }],
    ["a Date", { at: new Date(0) }],
  ];

  it.each(cases)("%s: clean exactly when sanitizeValue would change nothing", (_name, value) => {
    for (const replace of [true, false]) {
      const report: SanitizeReport = { notes: [] };
      const copy = sanitizeValue(value, report, { replace });
      const unchanged = report.notes.length === 0 && JSON.stringify(copy) === JSON.stringify(value);
      // Never clean when something would change; a Date is refused though its copy would only differ in shape.
      if (!unchanged) expect(isSanitized(value, { replace })).toBe(false);
      if (unchanged && !(value as { at?: unknown }).at) expect(isSanitized(value, { replace })).toBe(true);
    }
  });

  it("refuses control characters only when they would be replaced", () => {
    expect(isSanitized({ model: "m\u0007" }, { replace: false })).toBe(true);
    expect(isSanitized({ model: "m\u0007" })).toBe(false);
  });
});
