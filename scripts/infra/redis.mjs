// Redis: use the server at REDIS_URL, or start a local one (no persistence, log under .data/redis).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { lastLogLine, startDetached } from "./detached-process.mjs";
import { InfraError } from "./infra-error.mjs";
import { ensureBinary } from "./packages.mjs";
import { secondsSince, waitUntilReady } from "./readiness.mjs";
import { socketDialog } from "./socket-dialog.mjs";

const NAME = "redis";
const READY_TIMEOUT_MS = 15_000;

function resp(...parts) {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join("")}`;
}

/** ready: PING answers PONG (after AUTH when the URL has a password); starting: LOADING; broken: auth refused. */
export async function probeRedisServer(settings) {
  if (settings.tls) {
    // A TLS Redis is always someone else's server; plain TCP reachability is all we can check without a client.
    const outcome = await socketDialog({
      host: settings.host,
      port: settings.port,
      onData: () => true,
      start: () => undefined,
      timeoutMs: 1000,
    });
    return outcome.connected ? { state: "ready" } : { state: "down", detail: outcome.reason };
  }
  const commands = [];
  if (settings.password !== "")
    commands.push(
      settings.username === "" ? resp("AUTH", settings.password) : resp("AUTH", settings.username, settings.password),
    );
  commands.push(resp("PING"));
  const outcome = await socketDialog({
    host: settings.host,
    port: settings.port,
    start: (write) => write(commands.join("")),
    onData: (received) => {
      const lines = received.toString("utf8").split("\r\n").filter(Boolean);
      if (lines.length < commands.length) return undefined;
      return lines;
    },
  });
  if (!outcome.connected) return { state: "down", detail: outcome.reason };
  if (outcome.result === undefined) return { state: "starting", detail: outcome.reason };
  const last = outcome.result.at(-1) ?? "";
  if (last === "+PONG") return { state: "ready" };
  if (/^-LOADING/.test(last)) return { state: "starting", detail: "loading its dataset" };
  if (/^-(NOAUTH|WRONGPASS|ERR.*(AUTH|password))/i.test(outcome.result.join(" "))) {
    return {
      state: "broken",
      detail: `Redis at ${settings.address} refused the credentials in REDIS_URL`,
      remedy: "Check the user and password in REDIS_URL",
    };
  }
  return { state: "broken", detail: `Redis at ${settings.address} answered PING with ${last.slice(0, 120)}` };
}

async function startRedis(settings, dataDir, log) {
  const binary = ensureBinary({ component: NAME, binary: "redis-server", pkg: "redis-server", log });
  const dir = join(dataDir, NAME);
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, `redis-${settings.port}.log`);
  const args = [
    "--daemonize",
    "yes",
    "--bind",
    settings.host === "localhost" ? "127.0.0.1" : settings.host,
    "--port",
    String(settings.port),
    // Quota counters are rebuilt from traffic; nothing here needs to survive a restart.
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--logfile",
    logFile,
    "--pidfile",
    join(dir, `redis-${settings.port}.pid`),
  ];
  if (settings.password !== "") args.push("--requirepass", settings.password);
  const startedAt = Date.now();
  // --daemonize forks and the first process exits at once; readiness is judged by the probe alone.
  const processHandle = startDetached(binary, args, { logFile, cwd: dir });
  const outcome = await waitUntilReady(() => probeRedisServer(settings), { timeoutMs: READY_TIMEOUT_MS });
  processHandle.release();
  if (outcome.state !== "ready") {
    const serverSays = lastLogLine(logFile, /#|Error|error/);
    throw new InfraError(
      NAME,
      `the Redis started on ${settings.address} is not ready (${outcome.detail ?? outcome.state})${serverSays ? `; server log: ${serverSays}` : ""}`,
      `See ${logFile}`,
    );
  }
  return `started, ${secondsSince(startedAt)}`;
}

/** @returns {Promise<{ address: string, note: string }>} */
export async function prepareRedis({ settings, dataDir, log }) {
  const first = await probeRedisServer(settings);
  if (first.state === "ready") return { address: settings.address, note: "already running" };
  if (first.state === "broken")
    throw new InfraError(NAME, first.detail, first.remedy ?? "Fix that server or point REDIS_URL elsewhere");
  if (!settings.local)
    throw new InfraError(
      NAME,
      `Redis at ${settings.address} is not reachable (${first.detail})`,
      "Start it, or point REDIS_URL at a running server",
    );
  if (first.state === "starting") {
    const outcome = await waitUntilReady(() => probeRedisServer(settings), { timeoutMs: READY_TIMEOUT_MS });
    if (outcome.state !== "ready")
      throw new InfraError(
        NAME,
        `Redis on ${settings.address} answers but is not ready (${outcome.detail})`,
        "Check that server's log",
      );
    return { address: settings.address, note: "already running" };
  }
  return { address: settings.address, note: await startRedis(settings, dataDir, log) };
}
