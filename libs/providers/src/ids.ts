/** Random ids for objects the gateway creates (tool calls from providers that do not name them, response items). */
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = prefix;
  // 62 does not divide 256, so there is a slight bias; irrelevant for identifiers that are not secrets.
  for (const byte of bytes) out += ALPHABET[byte % 62];
  return out;
}
