/** Data URLs and media types: OpenAI formats carry inline bytes as `data:` URLs, the others as base64 + media type. */
import type { MediaSource } from "./content.js";

/** `data:image/png;base64,AAAA` → base64 source; any other URL → URL source. */
export function mediaSourceFromUrl(url: string): MediaSource {
  if (url.startsWith("data:")) {
    const comma = url.indexOf(",");
    const header = comma === -1 ? "" : url.slice(5, comma);
    if (comma !== -1 && header.endsWith(";base64")) {
      return { kind: "base64", mediaType: header.slice(0, -7) || "application/octet-stream", data: url.slice(comma + 1) };
    }
  }
  return { kind: "url", url };
}

export function mediaSourceToUrl(source: MediaSource): string {
  return source.kind === "url" ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

const MEDIA_TYPE_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  wav: "audio/wav",
  mp3: "audio/mpeg",
};

/** Best guess of a URL's media type from its extension, for formats that require one next to a URL. */
export function guessMediaType(url: string, fallback: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? "";
  const dot = path.lastIndexOf(".");
  if (dot === -1) return fallback;
  return MEDIA_TYPE_BY_EXTENSION[path.slice(dot + 1).toLowerCase()] ?? fallback;
}

/** The subtype of a media type: `image/png` → `png`. */
export function mediaSubtype(mediaType: string): string {
  const slash = mediaType.indexOf("/");
  return (slash === -1 ? mediaType : mediaType.slice(slash + 1)).toLowerCase();
}
