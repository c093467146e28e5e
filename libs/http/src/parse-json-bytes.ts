/**
 * JSON.parse for request bodies of any size without one string the size of the body. V8 keeps a string over 128 KB
 * in its own memory mapping, mapped and unmapped for each such string: on these machines that costs about 1 ms per
 * string (mmap, page faults, munmap), four times the parse itself, for every coding-agent request of 200 KB. So a
 * large body is cut along its own structure: its top-level members and array elements are found on the bytes (a
 * scan that skips string contents with indexOf) and each piece under PIECE_BYTES is handed to JSON.parse as its own
 * small string. The result is what JSON.parse of the whole text gives (same values, key order, duplicate keys,
 * `__proto__` as an own property), and so is the verdict on malformed input: every byte ends up either checked by
 * the scan (punctuation between members) or inside a piece JSON.parse checks.
 */

import { BodyChunks } from "./body-chunks.js";
import {
  ChunkScanner,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
  syntaxError,
} from "./chunk-scanner.js";

/** Bytes of UTF-8 below which a piece is one JSON.parse: even as a two-byte string it stays under 128 KB. */
export const PIECE_BYTES = 48 * 1024;
/**
 * Bodies up to this size are one JSON.parse: as text of one-byte characters (ASCII and Latin-1, what request bodies
 * mostly are) they stay under 128 KB, and splitting costs more than it saves.
 */
export const WHOLE_BYTES = 100 * 1024;

/** Parse UTF-8 JSON bytes; throws SyntaxError as JSON.parse does. */
export function parseJsonBytes(bytes: Uint8Array, pieceBytes = PIECE_BYTES, wholeBytes = WHOLE_BYTES): unknown {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length <= Math.max(pieceBytes, wholeBytes)) return JSON.parse(buffer.toString("utf8"));
  // A UTF-8 byte order mark is not JSON; JSON.parse refuses it, and so does the scan below.
  const source = sourceOf(buffer);
  const end = source.scan.trimEnd(0, buffer.length);
  const start = source.scan.skipSpace(0, end);
  if (start >= end) return JSON.parse(buffer.toString("utf8"));
  const first = buffer[start];
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) return JSON.parse(buffer.toString("utf8"));
  // The body itself is walked without a scan for its end first: its members are found as it is parsed.
  const parsed = parseContainer(source, start, end, pieceBytes, 0);
  if (source.scan.skipSpace(parsed.end, end) !== end)
    throw syntaxError("Unexpected non-whitespace character after JSON", parsed.end);
  return parsed.value;
}

/**
 * A targeted read of a JSON object body: every member parsed except those named in `skip`, which are only delimited
 * (their bytes are not decoded, and not checked beyond their brackets and strings). For a request forwarded as it
 * came, where the conversation is most of the bytes and the gateway only needs the members around it. The body may
 * be in chunks as it arrived: it is read across them, not joined. Undefined when the bytes are not one
 * well-delimited JSON object: the caller then parses the whole body, which reports the error.
 */
export function parseJsonObjectSkipping(
  bytes: Uint8Array | BodyChunks,
  skip: ReadonlySet<string>,
): { members: Record<string, unknown>; skipped: Set<string> } | undefined {
  const body = bytes instanceof BodyChunks ? bytes : BodyChunks.of(bytes);
  const scan = new ChunkScanner(body);
  const end = scan.trimEnd(0, body.length);
  let at = scan.skipSpace(0, end);
  if (at >= end || scan.byte(at) !== OPEN_OBJECT) return undefined;
  const members: Record<string, unknown> = {};
  const skipped = new Set<string>();
  try {
    at = scan.skipSpace(at + 1, end);
    if (at < end && scan.byte(at) === CLOSE_OBJECT) return at + 1 === end ? { members, skipped } : undefined;
    for (;;) {
      if (at >= end || scan.byte(at) !== QUOTE) return undefined;
      const keyEnd = scan.scanString(at, end);
      const key = JSON.parse(body.slice(at, keyEnd).toString("utf8")) as string;
      at = scan.skipSpace(keyEnd, end);
      if (at >= end || scan.byte(at) !== COLON) return undefined;
      const valueStart = scan.skipSpace(at + 1, end);
      const valueEnd = scan.scanValue(valueStart, end);
      if (skip.has(key)) {
        skipped.add(key);
        // A later duplicate wins, as in JSON.parse.
        delete members[key];
      } else {
        skipped.delete(key);
        const value = body.slice(valueStart, valueEnd);
        // A small member (model, stream, max_tokens…) is one JSON.parse: no scanner is made for it.
        setOwn(
          members,
          key,
          value.length <= PIECE_BYTES
            ? JSON.parse(value.toString("utf8"))
            : parseSpan(sourceOf(value), 0, value.length, PIECE_BYTES, 1),
        );
      }
      at = scan.skipSpace(valueEnd, end);
      if (at < end && scan.byte(at) === COMMA) {
        at = scan.skipSpace(at + 1, end);
        continue;
      }
      if (at < end && scan.byte(at) === CLOSE_OBJECT && at + 1 === end) return { members, skipped };
      return undefined;
    }
  } catch (caught) {
    if (caught instanceof SyntaxError) return undefined;
    throw caught;
  }
}

/**
 * Containers this deep or deeper are parsed whole: request bodies are large in their first levels (the body, its
 * messages, a message's parts), and a bound keeps the scans linear in the body's size whatever its nesting.
 */
const MAX_SPLIT_DEPTH = 4;

/** Bytes being parsed, and the scanner that delimits their values (the same one parseJsonObjectSkipping reads chunks with). */
interface Source {
  buffer: Buffer;
  scan: ChunkScanner;
}

function sourceOf(buffer: Buffer): Source {
  return { buffer, scan: new ChunkScanner(BodyChunks.of(buffer)) };
}

/** The value in [start, end), which holds exactly one JSON value with no surrounding space. */
function parseSpan(source: Source, start: number, end: number, pieceBytes: number, depth: number): unknown {
  const { buffer } = source;
  const first = buffer[start];
  if (end - start <= pieceBytes || depth >= MAX_SPLIT_DEPTH || (first !== OPEN_OBJECT && first !== OPEN_ARRAY)) {
    return JSON.parse(buffer.toString("utf8", start, end));
  }
  const parsed = parseContainer(source, start, end, pieceBytes, depth);
  if (parsed.end !== end) throw syntaxError("Unexpected non-whitespace character after JSON", parsed.end);
  return parsed.value;
}

interface Parsed {
  value: unknown;
  /** Just past the container's closing bracket. */
  end: number;
}

/**
 * An object or array, member by member: consecutive small members are gathered into runs, each run parsed as one
 * object or array by JSON.parse; a member whose value is large is parsed on its own (split further when it is itself
 * a large container).
 */
function parseContainer(source: Source, start: number, end: number, pieceBytes: number, depth: number): Parsed {
  const { buffer, scan } = source;
  const isObject = buffer[start] === OPEN_OBJECT;
  const close = isObject ? CLOSE_OBJECT : CLOSE_ARRAY;
  const object: Record<string, unknown> = {};
  const array: unknown[] = [];
  let runStart = -1;
  let runEnd = -1;
  const flushRun = () => {
    if (runStart === -1) return;
    const text = buffer.toString("utf8", runStart, runEnd);
    if (isObject) {
      const piece = JSON.parse(`{${text}}`) as Record<string, unknown>;
      for (const key of Object.keys(piece)) setOwn(object, key, piece[key]);
    } else {
      for (const element of JSON.parse(`[${text}]`) as unknown[]) array.push(element);
    }
    runStart = -1;
  };
  /** A member parsed on its own (after the run before it), its key between keyStart and keyEnd. */
  const addAlone = (keyStart: number, keyEnd: number, value: unknown) => {
    if (isObject) setOwn(object, JSON.parse(buffer.toString("utf8", keyStart, keyEnd)) as string, value);
    else array.push(value);
  };
  let at = scan.skipSpace(start + 1, end);
  if (buffer[at] === close) return { value: isObject ? object : array, end: at + 1 };
  for (;;) {
    const memberStart = at;
    let keyEnd = at;
    if (isObject) {
      if (buffer[at] !== QUOTE) throw syntaxError("Expected property name", at);
      keyEnd = scan.scanString(at, end);
      at = scan.skipSpace(keyEnd, end);
      if (buffer[at] !== COLON) throw syntaxError("Expected ':' after property name", at);
      at = scan.skipSpace(at + 1, end);
    }
    const valueStart = at;
    let valueEnd: number;
    if (walksInto(buffer, at, depth)) {
      flushRun();
      const parsed = parseContainer(source, at, end, pieceBytes, depth + 1);
      addAlone(memberStart, keyEnd, parsed.value);
      valueEnd = parsed.end;
    } else {
      valueEnd = scan.scanValue(at, end);
      if (valueEnd - valueStart > pieceBytes) {
        flushRun();
        addAlone(memberStart, keyEnd, parseSpan(source, valueStart, valueEnd, pieceBytes, depth + 1));
      } else {
        if (runStart !== -1 && valueEnd - runStart > pieceBytes) flushRun();
        if (runStart === -1) runStart = memberStart;
        runEnd = valueEnd;
      }
    }
    at = scan.skipSpace(valueEnd, end);
    if (buffer[at] === COMMA) {
      at = scan.skipSpace(at + 1, end);
      continue;
    }
    if (buffer[at] === close) {
      flushRun();
      return { value: isObject ? object : array, end: at + 1 };
    }
    throw syntaxError(isObject ? "Expected ',' or '}' after property value" : "Expected ',' or ']' after array element", at);
  }
}

/**
 * A member of the body itself that is a container is walked at once (no scan for its end first): the body's large
 * members (messages, input, contents) are each scanned once. Deeper, a member is delimited first, so that runs of
 * small ones can be gathered.
 */
function walksInto(buffer: Buffer, at: number, depth: number): boolean {
  return depth === 0 && (buffer[at] === OPEN_OBJECT || buffer[at] === OPEN_ARRAY);
}

/** As JSON.parse defines a property: `__proto__` becomes an own property instead of setting the prototype. */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}
