/**
 * The rule by which the default fake model decides to call tools: the last user text contains
 * `use tool <name> with <json object>`, once per call (two markers → two parallel calls), and <name> is one of
 * the tools the request offers. The JSON object may nest; it ends at its matching closing brace.
 */

export interface ToolMarker {
  name: string;
  /** The JSON object exactly as written in the prompt. */
  arguments: string;
}

const MARKER = /use tool ([A-Za-z0-9_.:-]+) with /g;

export function findToolMarkers(text: string, offeredTools: readonly string[]): ToolMarker[] {
  const markers: ToolMarker[] = [];
  for (const match of text.matchAll(MARKER)) {
    const name = match[1] as string;
    const start = (match.index as number) + match[0].length;
    const json = balancedObjectAt(text, start);
    if (json === undefined || !offeredTools.includes(name)) continue;
    try {
      JSON.parse(json);
    } catch {
      continue;
    }
    markers.push({ name, arguments: json });
  }
  return markers;
}

/** The `{…}` starting at `start`, tracking strings and escapes so braces inside strings do not count. */
function balancedObjectAt(text: string, start: number): string | undefined {
  if (text[start] !== "{") return undefined;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}
