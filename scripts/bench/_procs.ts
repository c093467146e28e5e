/**
 * Processes of a benchmark: start a script pinned to one CPU core (taskset) and read what the kernel counts for it —
 * CPU seconds (user + system) and resident memory, current and peak (the peak can be reset between lanes) — and what
 * the Redis and ClickHouse servers have used.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Redis } from "ioredis";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
export const HAS_TASKSET = spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0;

/** `taskset -c <core>` in front of a command, when taskset exists and the machine has that core. */
export function pinned(core: number | undefined, command: string[]): string[] {
  return HAS_TASKSET && core !== undefined ? ["taskset", "-c", String(core), ...command] : command;
}

/** Move every thread of a running process to one core (for processes a library started for us). */
export function pinProcess(pid: number, core: number): void {
  if (HAS_TASKSET) spawnSync("taskset", ["-a", "-p", "-c", String(core), String(pid)], { stdio: "ignore" });
}

export interface ServerProcess {
  pid: number;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A TypeScript server script under scripts/bench that prints `{"port":N}` once listening (`nodeArgs`: Node flags). */
export async function startServerScript(
  script: string,
  args: string[],
  core: number | undefined,
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const command = pinned(core, [
    process.execPath,
    ...nodeArgs,
    "--import",
    "tsx",
    resolve(REPO_ROOT, "scripts/bench", script),
    ...args,
  ]);
  return startPrintingPort(command, (line) => (JSON.parse(line) as { port: number }).port);
}

/** A process whose output names its port (read by `portOf` from each line until it returns a number). */
export async function startPrintingPort(
  command: string[],
  portOf: (line: string) => number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerProcess> {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env });
  let output = "";
  const port = await new Promise<number>((resolvePort, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      for (const line of output.split("\n")) {
        try {
          const found = portOf(line.trim());
          if (found !== undefined) {
            child.stdout?.off("data", onData);
            resolvePort(found);
            return;
          }
        } catch {
          // Not the line that names the port.
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (data: Buffer) => {
      output += data.toString();
    });
    child.once("exit", (code) => reject(new Error(`${command.join(" ")} exited (${code}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`${command.join(" ")} did not listen within 30 s:\n${output}`)), 30_000).unref();
  });
  // Keep draining output so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    pid: child.pid as number,
    port,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start at state; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** User + system CPU seconds the Redis server has used so far (INFO cpu): a server no lane's process accounts for. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return field("used_cpu_user") + field("used_cpu_sys");
}

/**
 * User + system CPU seconds the local ClickHouse server has used so far (its processes found by name, as
 * `npm run prepare:infra` starts it); NaN when none runs on this machine.
 */
export function clickhouseCpuSeconds(): number {
  const found = spawnSync("pgrep", ["-f", "clickhouse-server"], { encoding: "utf8" });
  const pids = (found.stdout ?? "").split("\n").filter(Boolean).map(Number);
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // Exited between the listing and the read.
    }
  }
  return pids.length === 0 ? Number.NaN : total;
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match === null ? Number.NaN : Number(match[1]);
}

export const rssMb = (pid: number) => statusKb(pid, "VmRSS") / 1024;
export const peakRssMb = (pid: number) => statusKb(pid, "VmHWM") / 1024;

/** Start counting the peak anew (Linux: writing 5 to clear_refs resets VmHWM to the current RSS). */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // Not permitted here: the peak then covers the process's whole life, which only overstates it.
  }
}
