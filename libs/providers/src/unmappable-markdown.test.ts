import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { UNMAPPABLE } from "./unmappable.js";
import { README_MARKERS, renderUnmappableMarkdown, withUnmappableSection } from "./unmappable-markdown.js";

const README = resolve(import.meta.dirname, "../../../README.md");

describe("the README's unmappable table", () => {
  it("is the table in unmappable.ts, row for row (run `npm run readme` after changing it)", () => {
    const readme = readFileSync(README, "utf8");
    expect(withUnmappableSection(readme)).toBe(readme);
    const section = readme.slice(readme.indexOf(README_MARKERS.start), readme.indexOf(README_MARKERS.end));
    expect(section.split("\n").filter((line) => line.startsWith("| `"))).toHaveLength(UNMAPPABLE.length);
  });

  it("names each rule's condition and escapes pipes", () => {
    const table = renderUnmappableMarkdown();
    expect(table).toContain(
      "| `n` | `openai_chat` | any | 400 when other than 1 | this upstream produces one choice per request |",
    );
    expect(table).toContain("| `logprobs` | `openai_chat` | any | dropped | this upstream returns no token log-probabilities |");
    expect(table.split("\n")[0]).toBe("| parameter | from | to | outcome | why |");
  });
});
