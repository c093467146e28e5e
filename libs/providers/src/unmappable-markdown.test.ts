import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { UNMAPPABLE } from "./unmappable.js";
import { README_MARKERS, renderUnmappableMarkdown, withUnmappableSection } from "./unmappable-markdown.js";

const README = resolve(import.meta.dirname, "../../../README.md");
const cells = (line: string) =>
  line
    .slice(1, -1)
    .split(" | ")
    .map((cell) => cell.trim());

describe("the README's unmappable table", () => {
  it("is the table in unmappable.ts, row for row (run `npm run readme` after changing it)", () => {
    const readme = readFileSync(README, "utf8");
    expect(withUnmappableSection(readme)).toBe(readme);
    const section = readme.slice(readme.indexOf(README_MARKERS.start), readme.indexOf(README_MARKERS.end));
    expect(section.split("\n").filter((line) => line.startsWith("| `"))).toHaveLength(UNMAPPABLE.length);
  });

  it("names each rule's outcome and condition, in columns that line up", () => {
    const lines = renderUnmappableMarkdown().split("\n");
    expect(cells(lines[0] as string)).toEqual(["parameter", "from", "to", "outcome", "why"]);
    expect(lines.map(cells)).toContainEqual([
      "`n`",
      "`openai_chat`",
      "any",
      "400 when other than 1",
      "this upstream produces one choice per request",
    ]);
    expect(lines.map(cells)).toContainEqual([
      "`logprobs`",
      "`openai_chat`",
      "any",
      "dropped",
      "this upstream returns no token log-probabilities",
    ]);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});
