/**
 * Run ThinkWatch services as a real child process (the bundle `npm start` runs), on free ports, in a test
 * environment's isolated namespace. Used where a test needs a process boundary: killing a service mid-stream,
 * SIGTERM draining, or the whole fleet exactly as a user starts it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { freePort } from "./free-port.js";
import { REPO_ROOT } from "./test-environment.js";
import { waitFor } from "./wait-for.js";

export interface FleetProcess {
  gatewayUrl: string;
  /** Where /mcp answers: the gateway port, or MCP_PORT when the process runs with MCP_LISTENER=mcp. */
  mcpUrl: string;
  consoleUrl: string;
  healthUrl: string;
  process: ChildProcess;
  /** Everything the process wrote, for assertions and for debugging a failed test. */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the process dies without draining. */
  kill(): Promise<void>;
}

export interface FleetProcessOptions {
  env: Record<string, string>;
  /** Services to run (default: all). */
  services?: string[];
  /** Wait for /health/ready before resolving (default true). */
  waitReady?: boolean;
  /** Use this gateway port instead of a free one (to show two processes can share a machine). */
  gatewayPort?: number;
  /** Extra Node flags, e.g. `--cpu-prof` when profiling a benchmark. */
  nodeArgs?: string[];
  /** Another build of the fleet to run (a benchmark's baseline checkout); this checkout's by default. */
  entry?: string;
}

/**
 * How long a fleet may take to become ready: shorter than vitest's hook timeout (120 s), so a start that never
 * completes fails with the readiness report and the fleet's output instead of a bare "hook timed out".
 */
const READY_TIMEOUT_MS = 90_000;

export const FLEET_ENTRY = resolve(REPO_ROOT, "services/fleet/dist/main.js");
/** The Node flags the fleet runs with everywhere (`npm start`, the image): tests and benchmarks run what ships. */
export const FLEET_NODE_FLAGS: readonly string[] = JSON.parse(
  readFileSync(resolve(REPO_ROOT, "services/fleet/node-flags.json"), "utf8"),
) as string[];

export async function startFleetProcess(options: FleetProcessOptions): Promise<FleetProcess> {
  const [gatewayPort, consolePort, healthPort, mcpPort] = [
    options.gatewayPort ?? (await freePort()),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const ownMcpPort = options.env.MCP_LISTENER === "mcp";
  const env = {
    PATH: process.env.PATH ?? "",
    ...options.env,
    GATEWAY_PORT: String(gatewayPort),
    CONSOLE_PORT: String(consolePort),
    HEALTH_PORT: String(healthPort),
    MCP_PORT: String(mcpPort),
    THINKWATCH_SERVICES: (options.services ?? ["all"]).join(","),
  };
  const child = spawn(process.execPath, [...FLEET_NODE_FLAGS, ...(options.nodeArgs ?? []), options.entry ?? FLEET_ENTRY], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));

  const services = options.services ?? ["all"];
  const hasGateway = services.some((s) => s === "all" || s === "ai-proxy" || (s === "mcp-proxy" && !ownMcpPort));
  const hasOwnMcp = ownMcpPort && services.some((s) => s === "all" || s === "mcp-proxy");
  const hasConsole = services.some((s) => s === "all" || s === "admin-api");
  const probeBase = hasConsole
    ? `http://127.0.0.1:${consolePort}`
    : hasGateway
      ? `http://127.0.0.1:${gatewayPort}`
      : hasOwnMcp
        ? `http://127.0.0.1:${mcpPort}`
        : `http://127.0.0.1:${healthPort}`;

  const fleet: FleetProcess = {
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    mcpUrl: ownMcpPort ? `http://127.0.0.1:${mcpPort}` : `http://127.0.0.1:${gatewayPort}`,
    consoleUrl: `http://127.0.0.1:${consolePort}`,
    healthUrl: probeBase,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };

  if (options.waitReady !== false) {
    let exitedEarly = false;
    void exited.then(() => {
      exitedEarly = true;
    });
    // What the readiness probe last said, so a start that never completes names the service that was not ready.
    let lastReadiness = "no answer yet";
    await waitFor(
      async () => {
        if (exitedEarly) throw new Error(`the fleet process exited:\n${output}`);
        const response = await fetch(`${probeBase}/health/ready`).catch((error: Error) => {
          lastReadiness = `unreachable (${error.message})`;
          return null;
        });
        if (response === null) return false;
        if (!response.ok) lastReadiness = `${response.status} ${await response.text()}`;
        return response.ok;
      },
      { timeoutMs: READY_TIMEOUT_MS, what: `fleet (${services.join(",")}) to be ready` },
    ).catch((error: Error) => {
      child.kill("SIGKILL");
      throw new Error(`${error.message}\nlast readiness answer: ${lastReadiness}\n--- fleet output ---\n${output}`);
    });
  }
  return fleet;
}
