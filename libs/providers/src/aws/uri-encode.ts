/**
 * RFC 3986 percent-encoding as AWS uses it: everything except A–Z a–z 0–9 `-` `.` `_` `~` is encoded, so
 * `encodeURIComponent`'s leftovers `! ' ( ) *` are encoded too. Both SigV4 canonicalisation and Bedrock's
 * URL paths (model ids contain `:` and, for ARNs, `/`) depend on it.
 */

const LEFTOVERS = /[!'()*]/g;

export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(LEFTOVERS, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Percent-decoding that leaves malformed escapes as they are instead of throwing. */
export function decodeUriLenient(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
