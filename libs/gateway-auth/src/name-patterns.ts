/**
 * Allow-lists of names with `*` wildcards, as keys carry them: models (`gpt-4o*`) and MCP tools (`github__*`). A
 * pattern without `*` matches only itself. Compiled patterns are cached, so a check on the hot path is one regex test.
 */
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 10_000;

function compile(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    const body = pattern
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    regex = new RegExp(`^${body}$`, "s");
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

export function matchesPattern(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  return compile(pattern).test(name);
}

/** null: no allow-list, everything is allowed. */
export function allowedByPatterns(patterns: readonly string[] | null, name: string): boolean {
  if (patterns === null) return true;
  return patterns.some((pattern) => matchesPattern(pattern, name));
}
