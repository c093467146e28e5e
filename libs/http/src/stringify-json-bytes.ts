/**
 * JSON.stringify into UTF-8 bytes without one string the size of the document: the counterpart of parseJsonBytes for
 * a large request body the gateway re-encodes for another provider's API. The first two levels (the body and, say,
 * its messages) are written member by member; each member below is one JSON.stringify, so no string reaches the
 * 128 KB at which V8 maps memory for it (unless a single message is that large). The bytes are exactly those of
 * UTF-8-encoded JSON.stringify(value).
 */

/** Levels written member by member; below them each value is one JSON.stringify. */
const SPLIT_DEPTH = 2;

export function stringifyJsonBytes(value: unknown): Buffer {
  const pieces: string[] = [];
  write(value, 0, pieces, "");
  let length = 0;
  for (const piece of pieces) length += Buffer.byteLength(piece, "utf8");
  const bytes = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const piece of pieces) offset += bytes.write(piece, offset, "utf8");
  return bytes;
}

/** Append the JSON of `value` (a member named `key`, for toJSON); false when JSON.stringify would leave it out. */
function write(value: unknown, depth: number, pieces: string[], key: string): boolean {
  const isObject = typeof value === "object" && value !== null;
  if (isObject && depth > 0 && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    // toJSON receives its member's key, as JSON.stringify would pass it: stringified as a one-member object, whose
    // text after `{"key":` up to the closing brace is the member's.
    const json = JSON.stringify({ [key]: value });
    if (json === "{}") return false;
    pieces.push(json.slice(JSON.stringify(key).length + 2, -1));
    return true;
  }
  if (!isObject || depth >= SPLIT_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === "function") {
    const json = JSON.stringify(value);
    if (json === undefined) return false;
    pieces.push(json);
    return true;
  }
  if (Array.isArray(value)) {
    pieces.push("[");
    for (let index = 0; index < value.length; index++) {
      if (index > 0) pieces.push(",");
      if (!write(value[index], depth + 1, pieces, String(index))) pieces.push("null");
    }
    pieces.push("]");
    return true;
  }
  pieces.push("{");
  let first = true;
  for (const name of Object.keys(value)) {
    const mark = pieces.length;
    pieces.push(first ? "" : ",", JSON.stringify(name), ":");
    if (write((value as Record<string, unknown>)[name], depth + 1, pieces, name)) first = false;
    else pieces.length = mark;
  }
  pieces.push("}");
  return true;
}
