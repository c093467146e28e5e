// PostgreSQL: use the server at DATABASE_URL, or start one — the machine's installed cluster (pg_ctlcluster) when the
// default port 5432 is configured, otherwise a private cluster under .data/postgres — then create the database.
import { spawnSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { lastLogLine } from "./detached-process.mjs";
import { firstLine, InfraError } from "./infra-error.mjs";
import { ensureBinary, findBinary, postgresBinDirs } from "./packages.mjs";
import { secondsSince, waitUntilReady } from "./readiness.mjs";
import { socketDialog } from "./socket-dialog.mjs";

const NAME = "postgres";
const READY_TIMEOUT_MS = 30_000;
const SSL_MODES_NEEDING_TLS = new Set(["require", "verify-ca", "verify-full"]);

function startupMessage(user) {
  const body = Buffer.from(`user\0${user}\0database\0postgres\0\0`, "utf8");
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(196_608, 4); // protocol 3.0
  return Buffer.concat([header, body]);
}

function sslRequest() {
  const message = Buffer.alloc(8);
  message.writeInt32BE(8, 0);
  message.writeInt32BE(80_877_103, 4);
  return message;
}

/** Fields of an ErrorResponse body: { C: sqlstate, M: message, … }. */
function errorFields(body) {
  const fields = {};
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const type = String.fromCharCode(body[at] ?? 0);
    const end = body.indexOf(0, at + 1);
    fields[type] = body.subarray(at + 1, end).toString("utf8");
    at = end + 1;
  }
  return fields;
}

/**
 * Sends a StartupMessage and reads the first answer: an authentication request means the server accepts
 * connections; SQLSTATE 57P03 means it is still starting; other errors mean it will not let us in.
 */
export async function probePostgresServer(settings) {
  const tls = SSL_MODES_NEEDING_TLS.has(settings.sslmode ?? "");
  const outcome = await socketDialog({
    host: settings.host,
    port: settings.port,
    start: (write) => write(tls ? sslRequest() : startupMessage(settings.user)),
    onData: (received) => {
      if (tls) return { type: String.fromCharCode(received[0] ?? 0) };
      if (received.length < 5) return undefined;
      const length = received.readInt32BE(1);
      if (received.length < 1 + length) return undefined;
      return { type: String.fromCharCode(received[0] ?? 0), body: received.subarray(5, 1 + length) };
    },
  });
  if (!outcome.connected) return { state: "down", detail: outcome.reason };
  const answer = outcome.result;
  if (answer === undefined) return { state: "starting", detail: outcome.reason };
  if (tls) {
    return answer.type === "S"
      ? { state: "ready" }
      : {
          state: "broken",
          detail: `PostgreSQL at ${settings.address} does not accept TLS but DATABASE_URL asks for sslmode=${settings.sslmode}`,
          remedy: "Change sslmode in DATABASE_URL",
        };
  }
  if (answer.type === "R" || answer.type === "v") return { state: "ready" };
  if (answer.type !== "E")
    return { state: "broken", detail: `PostgreSQL at ${settings.address} sent an unexpected "${answer.type}" message` };
  const fields = errorFields(answer.body);
  if (fields.C === "57P03") return { state: "starting", detail: fields.M };
  // The maintenance database missing is no obstacle to a running server; psql reports it precisely later.
  if (fields.C === "3D000") return { state: "ready" };
  const remedy = /^28/.test(fields.C ?? "")
    ? "Check the user in DATABASE_URL and that server's pg_hba.conf"
    : "Check that server's log";
  return {
    state: "broken",
    detail: `PostgreSQL at ${settings.address} refused us: ${fields.M ?? "unknown error"} (${fields.C ?? "?"})`,
    remedy,
  };
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], ...options });
}

/** pg_lsclusters rows: { version, cluster, port, status }. */
function installedClusters() {
  const lister = findBinary("pg_lsclusters");
  if (lister === undefined) return [];
  const result = run(lister, ["-h"]);
  return (result.stdout ?? "")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 4)
    .map(([version, cluster, port, status]) => ({ version, cluster, port: Number(port), status }));
}

async function waitForServer(settings) {
  const outcome = await waitUntilReady(() => probePostgresServer(settings), { timeoutMs: READY_TIMEOUT_MS });
  if (outcome.state !== "ready")
    throw new InfraError(
      NAME,
      `PostgreSQL on ${settings.address} is not ready (${outcome.detail ?? outcome.state})`,
      "Check the PostgreSQL log",
    );
}

async function startInstalledCluster(settings, cluster) {
  const startedAt = Date.now();
  const ctl = findBinary("pg_ctlcluster") ?? "pg_ctlcluster";
  const result = run(ctl, ["--skip-systemctl-redirect", cluster.version, cluster.cluster, "start"]);
  if (result.status !== 0) {
    throw new InfraError(
      NAME,
      `pg_ctlcluster ${cluster.version} ${cluster.cluster} start failed: ${firstLine(result.stderr || result.stdout)}`,
      `See /var/log/postgresql/postgresql-${cluster.version}-${cluster.cluster}.log`,
    );
  }
  await waitForServer(settings);
  return `started cluster ${cluster.version}/${cluster.cluster}, ${secondsSince(startedAt)}`;
}

/** A private cluster under .data/postgres with trust auth on loopback; the server refuses to run as root. */
async function startPrivateCluster(settings, dataDir, log) {
  const initdb = ensureBinary({ component: NAME, binary: "initdb", pkg: "postgresql", extraDirs: postgresBinDirs, log });
  const pgCtl = join(dirname(initdb), "pg_ctl");
  const dir = join(dataDir, NAME);
  const pgdata = join(dir, "data");
  const logFile = join(dir, "postgres.log");
  mkdirSync(dir, { recursive: true });
  let prefix = [];
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    const id = run("id", ["-u", "postgres"]);
    const gid = run("id", ["-g", "postgres"]);
    if (id.status !== 0)
      throw new InfraError(
        NAME,
        "PostgreSQL cannot run as root and there is no postgres user",
        "Install the postgresql package or run as a normal user",
      );
    chownSync(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
    prefix = ["runuser", "-u", "postgres", "--"];
    if (run("runuser", ["-u", "postgres", "--", "test", "-w", dir]).status !== 0) {
      throw new InfraError(
        NAME,
        `the postgres user cannot write ${dir} (a parent folder is private)`,
        "Clone the repo to a folder other users can enter, or point DATABASE_URL at a running server",
      );
    }
  }
  const as = (command, args) =>
    prefix.length === 0 ? run(command, args) : run(prefix[0] ?? "runuser", [...prefix.slice(1), command, ...args]);
  const startedAt = Date.now();
  if (!existsSync(join(pgdata, "PG_VERSION"))) {
    const init = as(initdb, ["-D", pgdata, "-U", settings.user, "-A", "trust", "-E", "UTF8", "--locale=C"]);
    if (init.status !== 0)
      throw new InfraError(NAME, `initdb failed: ${firstLine(init.stderr || init.stdout)}`, `Remove ${pgdata} and run again`);
    // Loopback TCP only: no socket files, so it cannot clash with a system cluster's socket in /var/run/postgresql.
    appendFileSync(join(pgdata, "postgresql.conf"), "\n# added by scripts/infra/postgres.mjs\nunix_socket_directories = ''\n");
  }
  const listen = settings.host === "localhost" ? "127.0.0.1" : settings.host;
  const start = as(pgCtl, [
    "-D",
    pgdata,
    "-l",
    logFile,
    "-o",
    `-p ${settings.port} -c listen_addresses=${listen}`,
    "-w",
    "-t",
    "30",
    "start",
  ]);
  if (start.status !== 0) {
    const serverSays = lastLogLine(logFile, /FATAL|ERROR|PANIC/);
    throw new InfraError(NAME, `pg_ctl start failed: ${serverSays ?? firstLine(start.stderr || start.stdout)}`, `See ${logFile}`);
  }
  await waitForServer(settings);
  return `started ${pgdata}, ${secondsSince(startedAt)}`;
}

async function startPostgres(settings, dataDir, log) {
  if (settings.port === 5432) {
    if (findBinary("pg_ctlcluster") === undefined)
      ensureBinary({ component: NAME, binary: "pg_ctlcluster", pkg: "postgresql", log });
    const cluster = installedClusters().find((candidate) => candidate.port === settings.port);
    if (cluster !== undefined) return startInstalledCluster(settings, cluster);
  }
  return startPrivateCluster(settings, dataDir, log);
}

/** Creates the database named in DATABASE_URL unless it exists; psql quotes the name (:'db' / %I). */
export function createPostgresDatabase(settings, log) {
  const psql = ensureBinary({ component: NAME, binary: "psql", pkg: "postgresql-client", log });
  const env = {
    ...process.env,
    PGHOST: settings.host,
    PGPORT: String(settings.port),
    PGUSER: settings.user,
    PGDATABASE: "postgres",
    PGCONNECT_TIMEOUT: "5",
  };
  if (settings.password !== "") env.PGPASSWORD = settings.password;
  if (settings.sslmode !== undefined) env.PGSSLMODE = settings.sslmode;
  const script = [
    "SELECT count(*) FROM pg_database WHERE datname = :'db';",
    "SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec",
    "",
  ].join("\n");
  const result = run(psql, ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-v", `db=${settings.database}`], {
    input: script,
    env,
  });
  if (result.status !== 0) {
    // Another process created it between our check and our CREATE: that is the outcome we wanted.
    if (/already exists/.test(result.stderr ?? "")) return false;
    throw new InfraError(
      NAME,
      `creating database ${settings.database} failed: ${firstLine(result.stderr || result.stdout)}`,
      "Check the user and password in DATABASE_URL; that user must be allowed to create databases",
    );
  }
  return (result.stdout ?? "").trim().split("\n")[0] === "0";
}

/** @returns {Promise<{ address: string, note: string }>} */
export async function preparePostgres({ settings, dataDir, log }) {
  const first = await probePostgresServer(settings);
  let note = "already running";
  if (first.state === "broken")
    throw new InfraError(NAME, first.detail, first.remedy ?? "Fix that server or point DATABASE_URL elsewhere");
  if (first.state === "starting") await waitForServer(settings);
  if (first.state === "down") {
    if (!settings.local)
      throw new InfraError(
        NAME,
        `PostgreSQL at ${settings.address} is not reachable (${first.detail})`,
        "Start it, or point DATABASE_URL at a running server",
      );
    note = await startPostgres(settings, dataDir, log);
  }
  if (createPostgresDatabase(settings, log)) note += `; created database ${settings.database}`;
  return { address: settings.address, note };
}
