/**
 * Find the virtual key wherever an official SDK or agent puts it: `Authorization: Bearer` (OpenAI SDKs, Codex),
 * `x-api-key` (Anthropic SDK, Claude Code), `x-goog-api-key` or `?key=` (Google SDKs), `api-key` (Azure SDKs).
 */
export function extractPresentedKey(headers: Headers, url: string): string | null {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  for (const name of ["x-api-key", "x-goog-api-key", "api-key"]) {
    const value = headers.get(name);
    if (value !== null && value.trim() !== "") return value.trim();
  }
  const queryStart = url.indexOf("?");
  if (queryStart !== -1) {
    const key = new URLSearchParams(url.slice(queryStart + 1)).get("key");
    if (key !== null && key !== "") return key;
  }
  return null;
}
