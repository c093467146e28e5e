#!/usr/bin/env node
// `npm run bench -- <lane>`: benchmarks that print numbers. Each lane is a TypeScript module under scripts/bench/.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const lanes = readdirSync(resolve(root, "scripts/bench"))
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .map((f) => f.replace(/\.ts$/, ""));
const [lane, ...rest] = process.argv.slice(2);
if (lane === undefined || !lanes.includes(lane)) {
  console.error(`usage: npm run bench -- <${lanes.join("|")}> [options]`);
  process.exit(2);
}
const file = resolve(root, "scripts/bench", `${lane}.ts`);
{
  const built = spawnSync(process.execPath, [resolve(root, "scripts/build-service.mjs"), resolve(root, "services/fleet")], {
    stdio: "inherit",
  });
  if (built.status !== 0) process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", file, ...rest], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
