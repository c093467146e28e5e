#!/usr/bin/env node
// `npm test`: the same preparation as `npm start`, then typecheck, lint, and every test (unit and integration
// against the real PostgreSQL, Redis, NATS JetStream and ClickHouse). Extra arguments go to vitest.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { buildFleet } from "./lib/build.mjs";
import { ensureDependencies } from "./lib/install.mjs";

const root = resolve(import.meta.dirname, "..");
const say = (line) => console.log(`[thinkwatch] ${line}`);

function run(what, command, args) {
  say(what);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`[thinkwatch] ${what} failed`);
    process.exit(result.status ?? 1);
  }
  say(`${what} passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  ensureDependencies(root, say);
  const { prepareInfrastructure } = await import("./infra/index.mjs");
  await prepareInfrastructure({ env: process.env, log: (line) => say(line) });
  buildFleet(root);
  const vitestArgs = process.argv.slice(2);
  if (vitestArgs.length === 0) {
    run("typecheck", "npx", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);
    run("typecheck of the benchmarks", "npx", ["tsc", "-p", "scripts/tsconfig.json"]);
    run("lint", "npx", ["biome", "check", "."]);
  }
  if (vitestArgs.length === 0) run("infrastructure script tests", process.execPath, ["--test", "scripts/infra/test/"]);
  run("tests", "npx", ["vitest", "run", ...vitestArgs]);
}

main().catch((error) => {
  // Infrastructure failures were already printed, one line per component.
  if (error.name === "InfrastructureError") process.exit(1);
  console.error(`[thinkwatch] cannot run the tests: ${error.message}`);
  process.exit(1);
});
