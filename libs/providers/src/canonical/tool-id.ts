/**
 * Anthropic and Bedrock require tool-use ids to match ^[a-zA-Z0-9_-]+$; other providers' ids may contain ':' or '.'.
 * The mapping is a pure function, so a call and its result always map to the same id.
 */
export function sanitizeToolId(id: string): string {
  if (/^[a-zA-Z0-9_-]+$/.test(id)) return id;
  const cleaned = id.replace(/[^a-zA-Z0-9_-]/g, "_");
  return cleaned === "" ? "call_" : cleaned;
}
