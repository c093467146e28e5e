/**
 * Find the virtual key wherever an official SDK or agent puts it: `Authorization: Bearer` (OpenAI SDKs, Codex),
 * `x-api-key` (Anthropic SDK, Claude Code), `x-goog-api-key` or `?key=` (Google SDKs), `api-key` (Azure SDKs).
 */
/** A request header by its lower-case name (a WHATWG Headers object, or Node's parsed headers behind a getter). */
export type HeaderLookup = (name: string) => string | null | undefined;

export function extractPresentedKey(headers: Headers | HeaderLookup, url: string): string | null {
  const header: HeaderLookup = typeof headers === "function" ? headers : (name) => headers.get(name);
  const authorization = header("authorization");
  if (typeof authorization === "string") {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  for (const name of ["x-api-key", "x-goog-api-key", "api-key"]) {
    const value = header(name);
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  const queryStart = url.indexOf("?");
  if (queryStart !== -1) {
    const key = new URLSearchParams(url.slice(queryStart + 1)).get("key");
    if (key !== null && key !== "") return key;
  }
  return null;
}
