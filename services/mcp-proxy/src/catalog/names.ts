/**
 * Names on the aggregated endpoint. Tools and prompts become `<prefix>__<name>`, kept within MCP's
 * `^[A-Za-z0-9_-]{1,64}$`: characters outside it become `_`, and a name that is still too long (or was changed)
 * keeps a readable head plus 8 hex of its SHA-256, so the same upstream name always gets the same exposed name.
 * Resource URIs are namespaced reversibly by prefixing the scheme: `demo://x` on server `files` → `mcp.files+demo://x`.
 */
import { createHash } from "node:crypto";

const MAX_NAME = 64;
const VALID_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const PREFIX_SEPARATOR = "__";

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/** The exposed name of an upstream tool or prompt. */
export function exposedName(prefix: string, name: string): string {
  const plain = `${prefix}${PREFIX_SEPARATOR}${name}`;
  if (VALID_NAME.test(plain)) return plain;
  const cleaned = plain.replace(/[^A-Za-z0-9_-]/g, "_");
  const suffix = `_${shortHash(plain)}`;
  return cleaned.slice(0, MAX_NAME - suffix.length) + suffix;
}

/** The resource URI clients of the aggregated endpoint see. */
export function exposedUri(prefix: string, uri: string): string {
  return `mcp.${prefix.replace(/_/g, "-")}+${uri}`;
}

/** Undo exposedUri: the server prefix and the upstream's URI, or null for a URI this gateway did not issue. */
export function parseExposedUri(uri: string): { prefix: string; uri: string } | null {
  const match = /^mcp\.([a-z0-9-]{1,32})\+(.+)$/s.exec(uri);
  if (match === null) return null;
  return { prefix: (match[1] as string).replace(/-/g, "_"), uri: match[2] as string };
}

/** Glob patterns as keys and policies use them: `*` matches any run of characters, everything else literally. */
export function matchesPattern(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "s").test(name);
}
