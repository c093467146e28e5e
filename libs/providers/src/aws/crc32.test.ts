import { describe, expect, it } from "vitest";
import { crc32 } from "./crc32.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("crc32", () => {
  it.each([
    { input: "", expected: 0x00000000 },
    // The standard check value of CRC-32/ISO-HDLC.
    { input: "123456789", expected: 0xcbf43926 },
    { input: "The quick brown fox jumps over the lazy dog", expected: 0x414fa339 },
  ])("checksums $input as $expected", ({ input, expected }) => {
    expect(crc32(bytes(input))).toBe(expected);
  });

  it("continues a running checksum over pieces and sub-ranges", () => {
    const whole = bytes("The quick brown fox jumps over the lazy dog");
    const running = crc32(whole, crc32(whole, 0, 0, 10), 10);
    expect(running).toBe(crc32(whole));
    expect(crc32(whole, 0, 4, 9)).toBe(crc32(bytes("quick")));
  });
});
