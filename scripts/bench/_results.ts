/**
 * bench/RESULTS.md: one section per benchmark suite, replaced by the suite's latest run (the others are kept), each
 * with the machine, the versions, the command and the load average when it started — the numbers mean nothing
 * without them.
 */
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { resolve } from "node:path";
import { REPO_ROOT } from "./_procs.js";

const FILE = resolve(REPO_ROOT, "bench/RESULTS.md");
const TITLE = "# Benchmark results\n\nWritten by `npm run bench -- <suite>`; each section is the latest run of its suite.\n";

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(resolve(REPO_ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
      .version;
  } catch {
    return "not installed";
  }
}

function git(args: string): string {
  try {
    return execSync(`git ${args}`, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

const startLoad = loadavg();

export function machineLines(): string[] {
  const cpu = cpus();
  return [
    `- When: ${new Date().toISOString()} · commit ${git("rev-parse --short HEAD")}${git("status --porcelain") === "" ? "" : " (with uncommitted changes)"}`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}`,
    `- Load average when the run started: ${startLoad.map((n) => n.toFixed(2)).join(" / ")} (other work on the machine skews every figure)`,
    `- Node ${process.version} · hono ${versionOf("hono")} · @hono/node-server ${versionOf("@hono/node-server")} · undici ${versionOf("undici")} · @portkey-ai/gateway ${versionOf("@portkey-ai/gateway")}`,
  ];
}

export async function writeResultsSection(suite: string, command: string, body: string): Promise<void> {
  mkdirSync(resolve(REPO_ROOT, "bench"), { recursive: true });
  const previous = existsSync(FILE) ? readFileSync(FILE, "utf8") : TITLE;
  const heading = `## ${suite}`;
  const section = [heading, "", `- Command: \`${command}\``, ...machineLines(), "", body.trim(), ""].join("\n");
  const parts = previous.split(/^(?=## )/m);
  const kept = parts.filter((part) => !part.startsWith(`${heading}\n`));
  const head = kept[0]?.startsWith("## ") ? TITLE : (kept.shift() ?? TITLE);
  writeFileSync(FILE, [head.trimEnd(), "", ...kept.map((p) => p.trimEnd()), section].join("\n\n").replace(/\n{3,}/g, "\n\n"));
  console.log(`\nwritten to ${FILE}`);
}
