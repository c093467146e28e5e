// ClickHouse: use the server at CLICKHOUSE_URL, or start a local one (config, data and logs under
// .data/clickhouse), then create CLICKHOUSE_DB. Written for Debian's 18.16, whose config root is <yandex>.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { lastLogLine, startDetached } from "./detached-process.mjs";
import { firstLine, InfraError } from "./infra-error.mjs";
import { ensureBinary } from "./packages.mjs";
import { secondsSince, waitUntilReady } from "./readiness.mjs";
import { describeConnectError } from "./socket-dialog.mjs";

const NAME = "clickhouse";
const READY_TIMEOUT_MS = 20_000;
/** Native-protocol port of a server we start; not 9000, which other software on a laptop often holds. */
const PREFERRED_TCP_PORT = 19_000;

function authHeaders(settings) {
  return { Authorization: `Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString("base64")}` };
}

async function post(settings, sql, timeoutMs = 5000) {
  const response = await fetch(`${settings.baseUrl}/`, {
    method: "POST",
    headers: authHeaders(settings),
    body: sql,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { ok: response.ok, status: response.status, text: await response.text() };
}

/** ready: answers /ping and runs SELECT 1 as the configured user; broken: answers but refuses that user. */
export async function probeClickHouseServer(settings) {
  try {
    const ping = await fetch(`${settings.baseUrl}/ping`, { signal: AbortSignal.timeout(2000) });
    if (!ping.ok) return { state: "starting", detail: `/ping answered HTTP ${ping.status}` };
  } catch (caught) {
    const cause = caught?.cause;
    return { state: "down", detail: cause?.code !== undefined ? describeConnectError(cause) : (caught?.name ?? "no answer") };
  }
  try {
    const result = await post(settings, "SELECT 1");
    if (result.ok && result.text.trim() === "1") return { state: "ready" };
    if (/Authentication failed|Code: (192|193|194|516)\b|password is incorrect|Unknown user/i.test(result.text)) {
      return {
        state: "broken",
        detail: `ClickHouse at ${settings.address} refused user "${settings.user}"`,
        remedy: "Check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD",
      };
    }
    return {
      state: "broken",
      detail: `SELECT 1 failed on ${settings.address}: ${firstLine(result.text) || `HTTP ${result.status}`}`,
    };
  } catch (caught) {
    return { state: "starting", detail: caught instanceof Error ? caught.message : String(caught) };
  }
}

function xml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A free port on loopback: the preferred one when free, otherwise one the kernel picks. */
async function freePort(host, preferred) {
  const tryListen = (port) =>
    new Promise((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(undefined));
      server.listen({ host, port, exclusive: true }, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address !== null ? address.port : undefined));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0));
}

/** Writes config.xml and users.xml for a loopback-only server; the password is stored only as its SHA-256. */
export function writeClickHouseConfig(dir, settings, tcpPort) {
  const dataPath = `${join(dir, "data")}/`;
  const logDir = join(dir, "log");
  mkdirSync(dataPath, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const listenHost = settings.host === "localhost" ? "127.0.0.1" : settings.host;
  const configFile = join(dir, "config.xml");
  const usersFile = join(dir, "users.xml");
  writeFileSync(
    configFile,
    `<?xml version="1.0"?>
<!-- Written by scripts/infra/clickhouse.mjs; rewritten on every start. -->
<yandex>
  <logger>
    <level>warning</level>
    <log>${xml(join(logDir, "server.log"))}</log>
    <errorlog>${xml(join(logDir, "err.log"))}</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <listen_host>${xml(listenHost)}</listen_host>
  <http_port>${settings.port}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <max_connections>1024</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>${xml(dataPath)}</path>
  <tmp_path>${xml(join(dataPath, "tmp"))}/</tmp_path>
  <user_files_path>${xml(join(dataPath, "user_files"))}/</user_files_path>
  <format_schema_path>${xml(join(dataPath, "format_schemas"))}/</format_schema_path>
  <users_config>${xml(usersFile)}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
</yandex>
`,
  );
  const passwordHash = createHash("sha256").update(settings.password).digest("hex");
  const user = (name) => `    <${name}>
      <password_sha256_hex>${passwordHash}</password_sha256_hex>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </${name}>`;
  const users = settings.user === "default" ? [user("default")] : [user("default"), user(settings.user)];
  writeFileSync(
    usersFile,
    `<?xml version="1.0"?>
<!-- Written by scripts/infra/clickhouse.mjs; rewritten on every start. -->
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
${users.join("\n")}
  </users>
  <quotas>
    <default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default>
  </quotas>
</yandex>
`,
  );
  return { configFile, logDir };
}

async function startClickHouse(settings, dataDir, log) {
  const binary = ensureBinary({ component: NAME, binary: "clickhouse-server", pkg: "clickhouse-server", log });
  const dir = join(dataDir, NAME);
  const tcpPort = await freePort(settings.host === "localhost" ? "127.0.0.1" : settings.host, PREFERRED_TCP_PORT);
  const { configFile, logDir } = writeClickHouseConfig(dir, settings, tcpPort);
  const startedAt = Date.now();
  const processHandle = startDetached(binary, [`--config-file=${configFile}`], { logFile: join(logDir, "stdout.log"), cwd: dir });
  const outcome = await waitUntilReady(() => probeClickHouseServer(settings), {
    timeoutMs: READY_TIMEOUT_MS,
    exited: processHandle.exited,
  });
  if (outcome.state !== "ready") {
    const serverSays = lastLogLine(join(logDir, "err.log"), /Error|Exception/) ?? lastLogLine(join(logDir, "stdout.log"));
    throw new InfraError(
      NAME,
      `the ClickHouse started on ${settings.address} is not ready (${outcome.detail ?? outcome.state})${serverSays ? `; server log: ${serverSays}` : ""}`,
      `See ${join(logDir, "err.log")}`,
    );
  }
  processHandle.release();
  return `started, ${secondsSince(startedAt)}`;
}

/** CREATE DATABASE IF NOT EXISTS over HTTP; the name was validated as a plain identifier by readInfraSettings. */
export async function createClickHouseDatabase(settings) {
  const result = await post(settings, `CREATE DATABASE IF NOT EXISTS \`${settings.database}\``);
  if (!result.ok) {
    throw new InfraError(
      NAME,
      `CREATE DATABASE ${settings.database} failed: ${firstLine(result.text)}`,
      "Check that CLICKHOUSE_USER may create databases",
    );
  }
}

/**
 * @param {{ settings: ReturnType<typeof import("./settings.mjs").readInfraSettings>["clickhouse"], dataDir: string, log: (line: string) => void }} options
 * @returns {Promise<{ address: string, note: string }>}
 */
export async function prepareClickHouse({ settings, dataDir, log }) {
  const first = await probeClickHouseServer(settings);
  let note = "already running";
  if (first.state === "broken")
    throw new InfraError(NAME, first.detail, first.remedy ?? "Fix that server or point CLICKHOUSE_URL elsewhere");
  if (first.state !== "ready") {
    if (!settings.local) {
      throw new InfraError(
        NAME,
        `ClickHouse at ${settings.address} is not reachable (${first.detail})`,
        "Start it, or point CLICKHOUSE_URL at a running server",
      );
    }
    if (first.state === "starting") {
      const outcome = await waitUntilReady(() => probeClickHouseServer(settings), { timeoutMs: READY_TIMEOUT_MS });
      if (outcome.state !== "ready")
        throw new InfraError(
          NAME,
          `ClickHouse on ${settings.address} answers but is not ready (${outcome.detail})`,
          "Check that server's logs",
        );
    } else {
      note = await startClickHouse(settings, dataDir, log);
    }
  }
  await createClickHouseDatabase(settings);
  return { address: settings.address, note };
}
