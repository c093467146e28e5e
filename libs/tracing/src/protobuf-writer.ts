/**
 * The few protobuf wire-format writes OTLP needs (varints, fixed64/32, doubles, length-delimited fields), into one
 * growable buffer that is reused for every span: a finished span is encoded here and copied out at its exact size.
 */

/** Wire types of a field's tag. */
const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;
const TWO_32 = 2 ** 32;

/** Encoded recurring strings (length prefix + UTF-8), shared by every writer of the process. */
const RECURRING = new Map<string, Uint8Array>();
const RECURRING_BOUND = 4096;

/** Hex digit values by char code (0–9, a–f, A–F). */
const HEX = new Uint8Array(128);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[97 + i] = 10 + i;
  HEX[65 + i] = 10 + i;
}

export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

export class ProtobufWriter {
  buffer: Buffer;
  pos = 0;

  constructor(initialSize = 16 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** Room for `bytes` more bytes. */
  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.pos + bytes));
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }

  /** A non-negative integer below 2^53 as a varint. */
  varint(value: number): void {
    this.ensure(10);
    const buffer = this.buffer;
    while (value >= 0x80) {
      buffer[this.pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    buffer[this.pos++] = value;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  uint(field: number, value: number): void {
    this.tag(field, VARINT);
    this.varint(value);
  }

  /** An int64 field (negative values as ten-byte two's complement, as protobuf writes them). */
  int64(field: number, value: number): void {
    this.tag(field, VARINT);
    if (value >= 0) {
      this.varint(value);
      return;
    }
    this.ensure(10);
    let big = BigInt.asUintN(64, BigInt(value));
    while (big >= 0x80n) {
      this.buffer[this.pos++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    this.buffer[this.pos++] = Number(big);
  }

  bool(field: number, value: boolean): void {
    this.uint(field, value ? 1 : 0);
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  fixed32(field: number, value: number): void {
    this.tag(field, FIXED32);
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  /**
   * Nanoseconds since the epoch from milliseconds, as fixed64: the 64-bit sum is built from exact 32-bit halves
   * (seconds split in 16-bit parts so every product stays below 2^53), so no BigInt is made per timestamp.
   */
  fixed64Nanos(field: number, epochMs: number): void {
    this.tag(field, FIXED64);
    this.ensure(8);
    const seconds = Math.floor(epochMs / 1000);
    const nanos = Math.round((epochMs - seconds * 1000) * 1e6);
    const upper = Math.floor(seconds / 65536) * 1e9; // times 2^16 below
    const lower = (seconds % 65536) * 1e9 + nanos;
    let lo = (upper % 65536) * 65536 + (lower % TWO_32);
    let hi = Math.floor(upper / 65536) + Math.floor(lower / TWO_32);
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi += 1;
    }
    this.buffer.writeUInt32LE(lo, this.pos);
    this.buffer.writeUInt32LE(hi, this.pos + 4);
    this.pos += 8;
  }

  string(field: number, value: string): void {
    this.tag(field, LEN);
    const length = value.length;
    // Span names, attribute keys and most values are short ASCII: copied by char code, no UTF-8 length pass.
    if (length < 0x80) {
      this.ensure(1 + length);
      const buffer = this.buffer;
      const start = this.pos + 1;
      let i = 0;
      for (; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[start + i] = code;
      }
      if (i === length) {
        buffer[this.pos] = length;
        this.pos = start + length;
        return;
      }
    }
    const bytes = Buffer.byteLength(value, "utf8");
    this.varint(bytes);
    this.ensure(bytes);
    this.pos += this.buffer.write(value, this.pos, bytes, "utf8");
  }

  /**
   * A string that recurs from span to span (attribute keys, span names): its length prefix and bytes are encoded
   * once and copied after that. Values are not cached; the cache stops growing at its bound.
   */
  recurring(field: number, value: string): void {
    let encoded = RECURRING.get(value);
    if (encoded === undefined) {
      if (RECURRING.size >= RECURRING_BOUND) {
        this.string(field, value);
        return;
      }
      const start = this.pos;
      this.string(field, value);
      // A copy: Buffer's slice() would be a view of this writer's reused buffer.
      encoded = new Uint8Array(this.buffer.subarray(start + varintSize(field * 8 + LEN), this.pos));
      RECURRING.set(value, encoded);
      return;
    }
    this.tag(field, LEN);
    const length = encoded.length;
    this.ensure(length);
    const buffer = this.buffer;
    const pos = this.pos;
    for (let i = 0; i < length; i++) buffer[pos + i] = encoded[i] as number;
    this.pos = pos + length;
  }

  /** An id given as lower-case hex (trace and span ids) written as its bytes. */
  hexBytes(field: number, hex: string): void {
    const length = hex.length >>> 1;
    this.tag(field, LEN);
    this.varint(length);
    this.ensure(length);
    const buffer = this.buffer;
    for (let i = 0; i < length; i++) {
      buffer[this.pos + i] = (HEX[hex.charCodeAt(2 * i)] as number) * 16 + (HEX[hex.charCodeAt(2 * i + 1)] as number);
    }
    this.pos += length;
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.pos);
    this.pos += value.length;
  }

  /**
   * The start of a nested message at `field`: one byte is kept for its length, which `end` fills in (moving the
   * message along when the length needs a longer varint). Returns the position to give to `end`.
   */
  begin(field: number): number {
    this.tag(field, LEN);
    this.ensure(1);
    return this.pos++;
  }

  end(start: number): void {
    const length = this.pos - start - 1;
    if (length < 0x80) {
      this.buffer[start] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buffer.copyWithin(start + 1 + extra, start + 1, this.pos);
    const end = this.pos + extra;
    this.pos = start;
    this.varint(length);
    this.pos = end;
  }

  /** A nested message written by `write`. */
  message(field: number, write: () => void): void {
    const start = this.begin(field);
    write();
    this.end(start);
  }

  /** The bytes written so far, copied out. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buffer.copy(out, 0, 0, this.pos);
    return out;
  }
}
