/** `npm run readme`: rewrites the README's generated sections (today: the unmappable-parameter table). */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { withUnmappableSection } from "@thinkwatch/providers";

const path = resolve(import.meta.dirname, "..", "README.md");
const before = readFileSync(path, "utf8");
const after = withUnmappableSection(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? "README.md is up to date" : "README.md: unmappable table rewritten");
