/** Turning the ways providers send images (data URLs, base64 + media type, links) into the fake's image part. */
import type { FakePart } from "./conversation.js";

type ImagePart = Extract<FakePart, { type: "image" }>;

const DATA_URL = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s;

export function imageFromUrl(url: string): ImagePart {
  const match = DATA_URL.exec(url);
  if (match === null) return { type: "image", url };
  return imageFromBase64(match[1] ?? "application/octet-stream", match[2] ?? "");
}

export function imageFromBase64(mediaType: string, data: string): ImagePart {
  return { type: "image", mediaType, bytes: Buffer.from(data, "base64").length };
}
