// NATS: use the server at NATS_URL (it must have JetStream), or start a local one with JetStream and its store under
// .data/nats. The check speaks the NATS text protocol over a raw socket and sends a `$JS.API.INFO` request.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { lastLogLine, startDetached } from "./detached-process.mjs";
import { InfraError } from "./infra-error.mjs";
import { ensureBinary } from "./packages.mjs";
import { secondsSince, waitUntilReady } from "./readiness.mjs";
import { socketDialog } from "./socket-dialog.mjs";

const NAME = "nats";
const READY_TIMEOUT_MS = 15_000;

function connectOptions(settings, info) {
  const options = {
    verbose: false,
    pedantic: false,
    tls_required: false,
    lang: "node",
    version: "thinkwatch-infra",
    protocol: 1,
  };
  // With headers + no_responders a server without JetStream answers the request at once with a 503 status.
  if (info.headers === true) Object.assign(options, { headers: true, no_responders: true });
  if (settings.user !== "" && settings.pass !== "") Object.assign(options, { user: settings.user, pass: settings.pass });
  else if (settings.user !== "") options.auth_token = settings.user;
  return options;
}

/**
 * Reads NATS protocol frames from the accumulated buffer and drives the exchange:
 * INFO → CONNECT+PING → PONG → SUB+PUB $JS.API.INFO → MSG/HMSG (the reply).
 */
function createExchange(settings) {
  const inbox = `_INBOX.tw${randomBytes(6).toString("hex")}`;
  const state = { phase: "greeting", offset: 0, info: undefined };
  const onData = (received, write) => {
    for (;;) {
      const end = received.indexOf("\r\n", state.offset);
      if (end < 0) return undefined;
      const line = received.subarray(state.offset, end).toString("utf8");
      if (line.startsWith("MSG ") || line.startsWith("HMSG ")) {
        const fields = line.split(" ");
        const total = Number(fields.at(-1));
        const headerBytes = line.startsWith("HMSG ") ? Number(fields.at(-2)) : 0;
        if (received.length < end + 2 + total + 2) return undefined;
        const body = received.subarray(end + 2, end + 2 + total);
        return {
          kind: "reply",
          headers: body.subarray(0, headerBytes).toString("utf8"),
          payload: body.subarray(headerBytes).toString("utf8"),
        };
      }
      state.offset = end + 2;
      if (line.startsWith("INFO ")) {
        state.info = JSON.parse(line.slice(5));
        if (state.info.tls_required === true) return { kind: "tls" };
        write(`CONNECT ${JSON.stringify(connectOptions(settings, state.info))}\r\nPING\r\n`);
        state.phase = "connecting";
      } else if (line === "PING") {
        write("PONG\r\n");
      } else if (line === "PONG" && state.phase === "connecting") {
        write(`SUB ${inbox} 1\r\nPUB $JS.API.INFO ${inbox} 0\r\n\r\n`);
        state.phase = "requesting";
      } else if (line.startsWith("-ERR")) {
        return { kind: "error", message: line.slice(4).trim().replace(/^'|'$/g, "") };
      }
    }
  };
  return { state, onData };
}

/** ready: connected and JetStream answered account info; broken: auth refused or JetStream off. */
export async function probeNatsServer(settings) {
  const exchange = createExchange(settings);
  const outcome = await socketDialog({ host: settings.host, port: settings.port, onData: exchange.onData, timeoutMs: 2500 });
  if (!outcome.connected) return { state: "down", detail: outcome.reason };
  const result = outcome.result;
  if (result === undefined) {
    if (exchange.state.phase === "requesting") {
      return {
        state: "broken",
        detail: `NATS at ${settings.address} did not answer $JS.API.INFO: JetStream is not enabled`,
        remedy: "Start nats-server with -js",
      };
    }
    return { state: "starting", detail: outcome.reason };
  }
  if (result.kind === "tls") return { state: "ready", note: "TLS required; JetStream not checked" };
  if (result.kind === "error") {
    const auth = /authori[sz]ation|authentication/i.test(result.message);
    return {
      state: "broken",
      detail: `NATS at ${settings.address} refused the connection: ${result.message}`,
      remedy: auth ? "Check the credentials in NATS_URL" : "Check that server's configuration",
    };
  }
  if (/^NATS\/1\.0 503/.test(result.headers)) {
    return {
      state: "broken",
      detail: `NATS at ${settings.address} has no JetStream (no responders for $JS.API.INFO)`,
      remedy: "Start nats-server with -js",
    };
  }
  let reply;
  try {
    reply = JSON.parse(result.payload);
  } catch {
    return { state: "broken", detail: `NATS at ${settings.address} answered $JS.API.INFO with something that is not JSON` };
  }
  if (reply.error !== undefined) {
    return {
      state: "broken",
      detail: `JetStream on ${settings.address} is unavailable: ${reply.error.description ?? JSON.stringify(reply.error)}`,
      remedy: "Enable JetStream for this account (nats-server -js)",
    };
  }
  return { state: "ready" };
}

async function startNats(settings, dataDir, log) {
  const binary = ensureBinary({ component: NAME, binary: "nats-server", pkg: "nats-server", log });
  const dir = join(dataDir, NAME);
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, `nats-${settings.port}.log`);
  // The store is keyed by port so two local servers (e.g. a second one for a test) never share JetStream files.
  const args = [
    "-a",
    settings.host === "localhost" ? "127.0.0.1" : settings.host,
    "-p",
    String(settings.port),
    "-js",
    "-sd",
    join(dir, `store-${settings.port}`),
    "-l",
    logFile,
    "-P",
    join(dir, `nats-${settings.port}.pid`),
  ];
  if (settings.user !== "" && settings.pass !== "") args.push("--user", settings.user, "--pass", settings.pass);
  else if (settings.user !== "") args.push("--auth", settings.user);
  const startedAt = Date.now();
  const processHandle = startDetached(binary, args, { logFile, cwd: dir });
  const outcome = await waitUntilReady(() => probeNatsServer(settings), {
    timeoutMs: READY_TIMEOUT_MS,
    exited: processHandle.exited,
  });
  if (outcome.state !== "ready") {
    const serverSays = lastLogLine(logFile, /\[(ERR|FTL)\]|error/i);
    throw new InfraError(
      NAME,
      `the NATS server started on ${settings.address} is not ready (${outcome.detail ?? outcome.state})${serverSays ? `; server log: ${serverSays}` : ""}`,
      `See ${logFile}`,
    );
  }
  processHandle.release();
  return `started, ${secondsSince(startedAt)}`;
}

/** @returns {Promise<{ address: string, note: string }>} */
export async function prepareNats({ settings, dataDir, log }) {
  const first = await probeNatsServer(settings);
  if (first.state === "ready") return { address: settings.address, note: first.note ?? "already running, JetStream on" };
  if (first.state === "broken")
    throw new InfraError(NAME, first.detail, first.remedy ?? "Fix that server or point NATS_URL elsewhere");
  if (!settings.local)
    throw new InfraError(
      NAME,
      `NATS at ${settings.address} is not reachable (${first.detail})`,
      "Start it, or point NATS_URL at a running server",
    );
  if (first.state === "starting") {
    const outcome = await waitUntilReady(() => probeNatsServer(settings), { timeoutMs: READY_TIMEOUT_MS });
    if (outcome.state !== "ready")
      throw new InfraError(
        NAME,
        `NATS on ${settings.address} answers but is not ready (${outcome.detail})`,
        "Check that server's log",
      );
    return { address: settings.address, note: "already running, JetStream on" };
  }
  return { address: settings.address, note: `${await startNats(settings, dataDir, log)}, JetStream on` };
}
