/**
 * Real upstream MCP servers for tests: the reference "everything" server (every MCP feature: tools, progress,
 * elicitation, sampling, prompts, resources, completions) over stdio or Streamable HTTP, and the reference "memory"
 * server over stdio. The HTTP one runs as a child process that a test can kill and restart on the same port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { freePort } from "./free-port.js";
import { waitFor } from "./wait-for.js";

const require = createRequire(import.meta.url);

function entryOf(pkg: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), "dist/index.js");
}

/** How to run an upstream over stdio: the command and arguments an MCP server registration takes. */
export interface StdioCommand {
  command: string;
  args: string[];
}

export function everythingStdio(): StdioCommand {
  return { command: process.execPath, args: [entryOf("@modelcontextprotocol/server-everything"), "stdio"] };
}

export function memoryStdio(): StdioCommand {
  return { command: process.execPath, args: [entryOf("@modelcontextprotocol/server-memory")] };
}

export interface McpHttpUpstream {
  /** The Streamable HTTP endpoint. */
  url: string;
  /** Kill the process (its sessions are gone) and start a fresh one on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The everything server over HTTP: Streamable HTTP at /mcp (default), or the legacy HTTP+SSE transport at /sse. */
export async function startEverythingHttp(transport: "streamableHttp" | "sse" = "streamableHttp"): Promise<McpHttpUpstream> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const started = spawn(process.execPath, [entryOf("@modelcontextprotocol/server-everything"), transport], {
      env: { PATH: process.env.PATH ?? "", PORT: String(port) },
      stdio: ["ignore", "ignore", "ignore"],
    });
    child = started;
    await waitFor(
      async () => {
        if (started.exitCode !== null) throw new Error(`the everything server exited with ${started.exitCode}`);
        // A TCP connect: the SSE server never answers a request without a session, so HTTP cannot probe it.
        return new Promise<boolean>((resolve) => {
          const socket = connect(port, "127.0.0.1", () => {
            socket.destroy();
            resolve(true);
          });
          socket.once("error", () => resolve(false));
        });
      },
      { timeoutMs: 15_000, what: "the everything MCP server to listen" },
    );
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}${transport === "sse" ? "/sse" : "/mcp"}`,
    async restart() {
      await stop();
      await start();
    },
    stop,
  };
}
