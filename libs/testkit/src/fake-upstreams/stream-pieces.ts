/**
 * How the fakes cut a reply into stream deltas, like a real model does: text in pieces of at most 8 characters
 * (about two tokens) and never fewer than two pieces; tool arguments in at least three fragments. Cuts fall
 * between code points, never inside a surrogate pair.
 */

const TEXT_PIECE_CHARS = 8;
const ARGUMENT_PIECE_CHARS = 16;

export function splitText(text: string): string[] {
  return splitCodePoints(text, TEXT_PIECE_CHARS, 2);
}

export function splitArguments(json: string): string[] {
  return splitCodePoints(json, ARGUMENT_PIECE_CHARS, 3);
}

function splitCodePoints(text: string, maxChars: number, minPieces: number): string[] {
  if (text === "") return [];
  const points = Array.from(text);
  const size = Math.max(1, Math.min(maxChars, Math.ceil(points.length / minPieces)));
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(""));
  return pieces;
}
