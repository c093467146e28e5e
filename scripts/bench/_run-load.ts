/**
 * One measured run: the load generator in its own process on the load core, and what the server under load spent
 * meanwhile (CPU seconds, peak RSS) read from the kernel.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { LoadJob, LoadSummary } from "./_loadgen.js";
import { cpuSeconds, peakRssMb, pinned, REPO_ROOT, resetPeakRss } from "./_procs.js";

export interface RunResult extends LoadSummary {
  cpuSecondsPer1k: number;
  peakRssMb: number;
}

export async function runLoadProcess(job: LoadJob, serverPid: number, loadCore: number | undefined): Promise<RunResult> {
  const command = pinned(loadCore, [process.execPath, "--import", "tsx", resolve(REPO_ROOT, "scripts/bench/_loadgen.ts")]);
  const [file, ...args] = command as [string, ...string[]];
  resetPeakRss(serverPid);
  // The generator's own start-up (tsx, undici) happens before its clock starts; CPU is read around the whole child,
  // which over-counts the server by nothing (a server is idle while the generator starts).
  const cpuBefore = cpuSeconds(serverPid);
  // The job goes in on stdin: a megabyte body does not fit in argv.
  const child = spawn(file, args, { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(JSON.stringify(job));
  let output = "";
  child.stdout.on("data", (data: Buffer) => {
    output += data.toString();
  });
  const code = await new Promise<number | null>((done) => child.once("exit", done));
  const cpuAfter = cpuSeconds(serverPid);
  if (code !== 0) throw new Error(`load generator failed (exit ${code}): ${output}`);
  const summary = JSON.parse(output) as LoadSummary;
  return {
    ...summary,
    cpuSecondsPer1k: summary.requests === 0 ? Number.NaN : ((cpuAfter - cpuBefore) / summary.requests) * 1000,
    peakRssMb: peakRssMb(serverPid),
  };
}

export function median(values: number[]): number {
  const sorted = values.filter((n) => !Number.isNaN(n)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
