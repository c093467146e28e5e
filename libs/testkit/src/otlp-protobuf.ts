/**
 * Decoding of an OTLP/protobuf trace export (opentelemetry/proto collector/trace/v1 ExportTraceServiceRequest) into
 * the OTLP/JSON shape, for the test receiver: the wire format read field by field, unknown fields skipped.
 */

class Reader {
  pos: number;
  constructor(
    private readonly bytes: Buffer,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  more(): boolean {
    return this.pos < this.end;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error("protobuf: truncated varint");
      const byte = this.bytes[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  /** A field's tag: its number and wire type. */
  tag(): [number, number] {
    const tag = Number(this.varint());
    return [tag >>> 3, tag & 7];
  }

  /** A length-delimited field's bytes as a reader of their own. */
  sub(): Reader {
    const length = Number(this.varint());
    if (this.pos + length > this.end) throw new Error("protobuf: truncated field");
    const reader = new Reader(this.bytes, this.pos, this.pos + length);
    this.pos += length;
    return reader;
  }

  raw(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.end) throw new Error("protobuf: truncated field");
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  string(): string {
    return this.raw().toString("utf8");
  }

  fixed64(): bigint {
    const value = this.bytes.readBigUInt64LE(this.pos);
    this.pos += 8;
    return value;
  }

  fixed32(): number {
    const value = this.bytes.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  double(): number {
    const value = this.bytes.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.raw();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`protobuf: wire type ${wireType} is not supported`);
  }
}

/** Reads every field of a message: `read` takes the fields it knows (returning true), the rest are skipped. */
function fields(reader: Reader, read: (field: number) => boolean): void {
  while (reader.more()) {
    const [field, wireType] = reader.tag();
    if (!read(field)) reader.skip(wireType);
  }
}

type Json = Record<string, unknown>;

function anyValue(reader: Reader): Json {
  let value: Json = {};
  fields(reader, (field) => {
    if (field === 1) value = { stringValue: reader.string() };
    else if (field === 2) value = { boolValue: reader.varint() !== 0n };
    else if (field === 3) value = { intValue: BigInt.asIntN(64, reader.varint()).toString() };
    else if (field === 4) value = { doubleValue: reader.double() };
    else if (field === 5) {
      const values: Json[] = [];
      const array = reader.sub();
      fields(array, (member) => member === 1 && values.push(anyValue(array.sub())) > 0);
      value = { arrayValue: { values } };
    } else if (field === 7) value = { bytesValue: reader.raw().toString("base64") };
    else return false;
    return true;
  });
  return value;
}

function keyValue(reader: Reader): Json {
  let key = "";
  let value: Json = {};
  fields(reader, (field) => {
    if (field === 1) key = reader.string();
    else if (field === 2) value = anyValue(reader.sub());
    else return false;
    return true;
  });
  return { key, value };
}

function event(reader: Reader): Json {
  const out: Json = { attributes: [] };
  fields(reader, (field) => {
    if (field === 1) out.timeUnixNano = reader.fixed64().toString();
    else if (field === 2) out.name = reader.string();
    else if (field === 3) (out.attributes as Json[]).push(keyValue(reader.sub()));
    else return false;
    return true;
  });
  return out;
}

function link(reader: Reader): Json {
  const out: Json = { attributes: [] };
  fields(reader, (field) => {
    if (field === 1) out.traceId = reader.raw().toString("hex");
    else if (field === 2) out.spanId = reader.raw().toString("hex");
    else if (field === 3) out.traceState = reader.string();
    else if (field === 4) (out.attributes as Json[]).push(keyValue(reader.sub()));
    else if (field === 6) out.flags = reader.fixed32();
    else return false;
    return true;
  });
  return out;
}

function status(reader: Reader): Json {
  const out: Json = {};
  fields(reader, (field) => {
    if (field === 2) out.message = reader.string();
    else if (field === 3) out.code = Number(reader.varint());
    else return false;
    return true;
  });
  return out;
}

function span(reader: Reader): Json {
  const out: Json = { attributes: [], events: [], links: [] };
  fields(reader, (field) => {
    if (field === 1) out.traceId = reader.raw().toString("hex");
    else if (field === 2) out.spanId = reader.raw().toString("hex");
    else if (field === 3) out.traceState = reader.string();
    else if (field === 4) out.parentSpanId = reader.raw().toString("hex");
    else if (field === 5) out.name = reader.string();
    else if (field === 6) out.kind = Number(reader.varint());
    else if (field === 7) out.startTimeUnixNano = reader.fixed64().toString();
    else if (field === 8) out.endTimeUnixNano = reader.fixed64().toString();
    else if (field === 9) (out.attributes as Json[]).push(keyValue(reader.sub()));
    else if (field === 10) out.droppedAttributesCount = Number(reader.varint());
    else if (field === 11) (out.events as Json[]).push(event(reader.sub()));
    else if (field === 13) (out.links as Json[]).push(link(reader.sub()));
    else if (field === 15) out.status = status(reader.sub());
    else if (field === 16) out.flags = reader.fixed32();
    else return false;
    return true;
  });
  return out;
}

function scopeSpans(reader: Reader): Json {
  const out: Json = { scope: {}, spans: [] };
  fields(reader, (field) => {
    if (field === 1) {
      const scope: Json = {};
      const sub = reader.sub();
      fields(sub, (f) => {
        if (f === 1) scope.name = sub.string();
        else if (f === 2) scope.version = sub.string();
        else return false;
        return true;
      });
      out.scope = scope;
    } else if (field === 2) (out.spans as Json[]).push(span(reader.sub()));
    else return false;
    return true;
  });
  return out;
}

function resourceSpans(reader: Reader): Json {
  const out: Json = { resource: { attributes: [] }, scopeSpans: [] };
  fields(reader, (field) => {
    if (field === 1) {
      const resource = reader.sub();
      const attributes = (out.resource as { attributes: Json[] }).attributes;
      fields(resource, (f) => f === 1 && attributes.push(keyValue(resource.sub())) > 0);
    } else if (field === 2) (out.scopeSpans as Json[]).push(scopeSpans(reader.sub()));
    else return false;
    return true;
  });
  return out;
}

/** An ExportTraceServiceRequest as OTLP/JSON (ids in hex, 64-bit integers as decimal strings). */
export function decodeOtlpTraces(bytes: Buffer): { resourceSpans: Json[] } {
  const out: Json[] = [];
  const reader = new Reader(bytes);
  fields(reader, (field) => field === 1 && out.push(resourceSpans(reader.sub())) > 0);
  return { resourceSpans: out };
}
