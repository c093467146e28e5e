/** Native parts and tools survive only in their own format; elsewhere unmappable.ts decides drop or reject. */
import type { NativePart } from "./canonical/content.js";
import type { CanonicalRequest } from "./canonical/request.js";
import type { ApiFormat } from "./formats.js";
import { enforceUnmappable } from "./unmappable.js";

/** The raw native value when it belongs to `to`; otherwise undefined (dropped) or a thrown 400 (rejected). */
export function nativeFor(part: NativePart, to: ApiFormat): unknown {
  if (part.format === to) return part.raw;
  enforceUnmappable(part.param ?? "native_content", to);
  return undefined;
}

export function nativeToolsFor(req: CanonicalRequest, to: ApiFormat): unknown[] {
  if (req.nativeTools === undefined || req.nativeTools.tools.length === 0) return [];
  if (req.nativeTools.format === to) return req.nativeTools.tools;
  enforceUnmappable("native_tools", to);
  return [];
}
