#!/usr/bin/env node
// `npm run bench -- <suite>`: benchmarks that print numbers. Each suite is a TypeScript module under scripts/bench/.
// Works in a fresh clone: the same preparation as `npm test` (dependencies, infrastructure, the fleet bundle) first.
// Plain Node until the dependencies are installed.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { buildFleet } from "./lib/build.mjs";
import { ensureDependencies } from "./lib/install.mjs";

const root = resolve(import.meta.dirname, "..");
const say = (line) => console.log(`[thinkwatch] ${line}`);
const suites = readdirSync(resolve(root, "scripts/bench"))
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .map((f) => f.replace(/\.ts$/, ""));
const [suite, ...rest] = process.argv.slice(2);
if (suite === undefined || !suites.includes(suite)) {
  console.error(`usage: npm run bench -- <${suites.join("|")}> [options]`);
  process.exit(2);
}

try {
  ensureDependencies(root, say);
  const { prepareInfrastructure } = await import("./infra/index.mjs");
  await prepareInfrastructure({ env: process.env, log: (line) => say(line) });
  buildFleet(root);
} catch (error) {
  // Infrastructure failures were already printed, one line per component.
  if (error.name !== "InfrastructureError") console.error(`[thinkwatch] cannot run the benchmark: ${error.message}`);
  process.exit(1);
}
const file = resolve(root, "scripts/bench", `${suite}.ts`);
const result = spawnSync(process.execPath, ["--import", "tsx", file, ...rest], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
