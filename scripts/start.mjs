#!/usr/bin/env node
// `npm start`: install what is missing, bring up PostgreSQL, Redis, NATS and ClickHouse if they are not reachable,
// apply migrations, then run every ThinkWatch service in this one process tree and print where to go.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildConsoleWeb, buildFleet } from "./lib/build.mjs";
import { ensureDependencies } from "./lib/install.mjs";
import { loadLocalSecrets } from "./lib/secrets.mjs";

const root = resolve(import.meta.dirname, "..");
const say = (line) => console.log(`[thinkwatch] ${line}`);

async function main() {
  const [major] = process.versions.node.split(".").map(Number);
  if (major < 20) throw new Error(`Node ${process.versions.node} is too old; ThinkWatch needs Node 20 or newer`);
  ensureDependencies(root, say);
  const { prepareInfrastructure } = await import("./infra/index.mjs");
  await prepareInfrastructure({ env: process.env, log: (line) => say(line) });
  const env = { ...process.env, ...loadLocalSecrets(root, process.env, say) };
  buildFleet(root);
  buildConsoleWeb(root);
  const entry = resolve(root, "services/fleet/dist/main.js");
  // The Node flags the fleet always runs with (the image's entrypoint has the same ones).
  const flags = JSON.parse(readFileSync(resolve(root, "services/fleet/node-flags.json"), "utf8"));
  const migrated = spawnSync(process.execPath, [...flags, entry, "migrate"], { env, stdio: "inherit" });
  if (migrated.status !== 0) throw new Error("migrations failed; see the output above");

  const child = spawn(process.execPath, [...flags, entry, ...process.argv.slice(2)], { env, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

  const gateway = `http://localhost:${env.GATEWAY_PORT ?? 3000}`;
  const consoleUrl = `http://localhost:${env.CONSOLE_PORT ?? 3001}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const ready = await fetch(`${consoleUrl}/health/ready`);
      if (ready.ok) {
        const status = await (await fetch(`${consoleUrl}/api/setup/status`)).json();
        say("ThinkWatch is running");
        say(`  gateway        ${gateway}   (OpenAI, Anthropic, Gemini APIs and /mcp)`);
        say(`  console        ${consoleUrl}`);
        say(
          `  setup wizard   ${consoleUrl}/setup${status.needsSetup ? "   ← start here: create the first admin" : "   (already done)"}`,
        );
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  say("the fleet did not become ready within 60 s; see the log lines above");
}

main().catch((error) => {
  // Infrastructure failures were already printed, one line per component.
  if (error.name === "InfrastructureError") process.exit(1);
  console.error(`[thinkwatch] cannot start: ${error.message}`);
  process.exit(1);
});
