import { describe, expect, it } from "vitest";
import { ProtobufWriter, varintSize } from "./protobuf-writer.js";

const written = (write: (w: ProtobufWriter) => void) => {
  const w = new ProtobufWriter(4);
  write(w);
  return w.take().toString("hex");
};

describe("protobuf writer", () => {
  it("writes fixed64 nanoseconds exactly as BigInt arithmetic would, for any epoch milliseconds", () => {
    const cases = [0, 1, 999.999999, 1795994298123.456, 4102444800000.5, 2 ** 32 * 1000 - 0.5];
    for (let i = 0; i < 20_000; i++) cases.push(Math.random() * 4e12);
    for (const ms of cases) {
      const w = new ProtobufWriter();
      w.fixed64Nanos(1, ms);
      const seconds = Math.floor(ms / 1000);
      const nanos = Math.round((ms - seconds * 1000) * 1e6);
      expect(w.buffer.readBigUInt64LE(1), String(ms)).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
    }
  });

  it.each([
    ["ASCII string", (w: ProtobufWriter) => w.string(1, "abc"), "0a03616263"],
    ["UTF-8 string", (w: ProtobufWriter) => w.string(2, "ï✓"), `1205${Buffer.from("ï✓").toString("hex")}`],
    ["empty string", (w: ProtobufWriter) => w.string(1, ""), "0a00"],
    ["string of 200 bytes", (w: ProtobufWriter) => w.string(1, "x".repeat(200)), `0ac801${"78".repeat(200)}`],
    ["hex id", (w: ProtobufWriter) => w.hexBytes(1, "0af7651916cd43dd"), "0a080af7651916cd43dd"],
    ["varint 300", (w: ProtobufWriter) => w.uint(1, 300), "08ac02"],
    ["int64 -1", (w: ProtobufWriter) => w.int64(3, -1), "18ffffffffffffffffff01"],
    ["double 0.5", (w: ProtobufWriter) => w.double(4, 0.5), "21000000000000e03f"],
    ["fixed32", (w: ProtobufWriter) => w.fixed32(16, 0x301), "8501" + "01030000"],
    ["bool", (w: ProtobufWriter) => w.bool(2, true), "1001"],
  ])("%s", (_name, write, hex) => {
    expect(written(write)).toBe(hex);
  });

  it("moves a nested message along when its length needs a longer varint", () => {
    const short = written((w) => w.message(1, () => w.string(1, "ab")));
    expect(short).toBe("0a040a026162");
    const long = written((w) =>
      w.message(2, () => {
        w.string(1, "y".repeat(150));
        w.uint(2, 7);
      }),
    );
    // 150-byte string: tag + 2-byte length + 150 = 153, plus the varint field 2 bytes = 155 (0x9b 0x01).
    expect(long).toBe(`129b010a9601${"79".repeat(150)}1007`);
    expect(varintSize(127)).toBe(1);
    expect(varintSize(128)).toBe(2);
    expect(varintSize(2 ** 35)).toBe(6);
  });

  it("writes a recurring string the same from its cache, whatever the writer held since", () => {
    const w = new ProtobufWriter(4);
    w.recurring(5, "POST upstream");
    const first = w.take().toString("hex");
    w.reset();
    w.string(1, "something else entirely, longer than the cached string");
    w.reset();
    w.recurring(5, "POST upstream");
    w.recurring(1, "POST upstream");
    expect(first).toBe(`2a0d${Buffer.from("POST upstream").toString("hex")}`);
    expect(w.take().toString("hex")).toBe(`${first}0a0d${Buffer.from("POST upstream").toString("hex")}`);
  });
});
