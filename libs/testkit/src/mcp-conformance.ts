/**
 * Run the official MCP conformance suite's server scenarios against a URL. The CLI cannot send headers, so the
 * gateway key travels as `?key=` (which the gateway accepts, like Google's SDKs send it); on Node 20 the CLI is
 * preloaded with a stand-in for the `fs.globSync` it imports.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const require = createRequire(import.meta.url);

export interface ScenarioOutcome {
  passed: number;
  failed: number;
}

export interface ConformanceResult {
  exitCode: number;
  output: string;
  /** Each scenario's checks passed and failed, from the suite's summary. */
  scenarios: Map<string, ScenarioOutcome>;
}

export async function runConformanceServerSuite(options: {
  url: string;
  /** Scenarios expected to fail, each explained where the suite is run. */
  expectedFailures?: string[];
  scenario?: string;
  /** `active` (the suite's default), `all` or `pending`. */
  suite?: "active" | "all" | "pending";
  timeoutMs?: number;
}): Promise<ConformanceResult> {
  const cli = join(dirname(require.resolve("@modelcontextprotocol/conformance/package.json")), "dist/index.js");
  const preload = join(import.meta.dirname, "conformance/register-node20.mjs");
  const workdir = mkdtempSync(join(tmpdir(), "tw-conformance-"));
  const args = ["--import", preload, cli, "server", "--url", options.url];
  if (options.scenario !== undefined) args.push("--scenario", options.scenario);
  if (options.suite !== undefined) args.push("--suite", options.suite);
  if (options.expectedFailures !== undefined && options.expectedFailures.length > 0) {
    const baseline = join(workdir, "expected-failures.yml");
    writeFileSync(baseline, `server:\n${options.expectedFailures.map((s) => `  - ${s}`).join("\n")}\n`);
    args.push("--expected-failures", baseline);
  }
  try {
    let exitCode = 0;
    let output = "";
    try {
      const done = await promisify(execFile)(process.execPath, args, {
        cwd: workdir,
        timeout: options.timeoutMs ?? 300_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      output = done.stdout + done.stderr;
    } catch (caught) {
      const failed = caught as { code?: number; stdout?: string; stderr?: string };
      exitCode = typeof failed.code === "number" ? failed.code : 1;
      output = `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
    }
    const scenarios = new Map<string, ScenarioOutcome>();
    for (const match of output.matchAll(/^\S+ ([a-z0-9-]+): (\d+) passed, (\d+) failed/gm)) {
      scenarios.set(match[1] as string, { passed: Number(match[2]), failed: Number(match[3]) });
    }
    return { exitCode, output, scenarios };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
