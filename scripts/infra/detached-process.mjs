// Starts a server that must outlive this script: its own session (detached), output appended to a log file, and
// a way to notice if it dies while we wait for it to become ready.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * @param {string} binary absolute path
 * @param {string[]} args
 * @param {{ logFile: string, cwd?: string }} options
 * @returns {{ pid: number | undefined, exited: () => string | undefined, release: () => void }}
 *   `release()` lets this process exit without waiting for the child (call it once the server is ready).
 */
export function startDetached(binary, args, { logFile, cwd }) {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, "a");
  let exitReason;
  let child;
  try {
    child = spawn(binary, args, { cwd, detached: true, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  child.on("error", (error) => {
    exitReason = error.message;
  });
  child.on("exit", (code, signal) => {
    exitReason = signal === null ? `exited with code ${code}` : `killed by ${signal}`;
  });
  return {
    pid: child.pid,
    exited: () => exitReason,
    release: () => {
      child.removeAllListeners();
      child.unref();
    },
  };
}

/** The last meaningful line of a log file, to put the server's own complaint into our error line. */
export function lastLogLine(file, pattern = /./) {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && pattern.test(line));
  return lines.at(-1)?.trim().slice(0, 240);
}
