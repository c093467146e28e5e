// Reads the connection settings the services use (same variable names, same defaults) into plain endpoint objects
// the infrastructure steps work with. Credentials stay in these objects; `describe()` output never contains them.
import { InfraError } from "./infra-error.mjs";

export const DEFAULTS = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/thinkwatch",
  REDIS_URL: "redis://127.0.0.1:6379",
  NATS_URL: "nats://127.0.0.1:4222",
  CLICKHOUSE_URL: "http://127.0.0.1:8123",
  CLICKHOUSE_DB: "thinkwatch",
  CLICKHOUSE_USER: "default",
  CLICKHOUSE_PASSWORD: "",
};

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** True when the host is this machine, i.e. a server we may start ourselves. */
export function isLocalHost(host) {
  return LOCAL_HOSTS.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `[::1]` (URL form) → `::1` (socket form). */
function socketHost(hostname) {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

function value(env, name) {
  const raw = env[name];
  return raw === undefined || raw === "" ? DEFAULTS[name] : raw;
}

function parseUrl(component, variable, raw, protocols, defaultPort) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new InfraError(component, `${variable} is not a valid URL`, `Set ${variable} like ${DEFAULTS[variable]}`);
  }
  const protocol = url.protocol.replace(/:$/, "");
  if (!protocols.includes(protocol)) {
    throw new InfraError(
      component,
      `${variable} has scheme "${protocol}:"`,
      `Use one of ${protocols.map((p) => `${p}://`).join(", ")}`,
    );
  }
  const host = socketHost(url.hostname);
  const port = url.port === "" ? defaultPort : Number(url.port);
  return { url, protocol, host, port, local: isLocalHost(host), address: `${url.hostname}:${port}` };
}

/** DATABASE_URL → host, port, user, password, database (the one to create), sslmode. */
export function readPostgresSettings(env) {
  const pg = parseUrl("postgres", "DATABASE_URL", value(env, "DATABASE_URL"), ["postgres", "postgresql"], 5432);
  return {
    ...pg,
    user: decodeURIComponent(pg.url.username) || "postgres",
    password: decodeURIComponent(pg.url.password),
    database: decodeURIComponent(pg.url.pathname.replace(/^\//, "")) || "postgres",
    sslmode: pg.url.searchParams.get("sslmode") ?? undefined,
  };
}

export function readRedisSettings(env) {
  const rd = parseUrl("redis", "REDIS_URL", value(env, "REDIS_URL"), ["redis", "rediss"], 6379);
  return {
    ...rd,
    username: decodeURIComponent(rd.url.username),
    password: decodeURIComponent(rd.url.password),
    tls: rd.protocol === "rediss",
  };
}

/** NATS_URL may list several servers; the first one is the one checked (and started when local). */
export function readNatsSettings(env) {
  const first = value(env, "NATS_URL").split(",")[0]?.trim() ?? "";
  const nt = parseUrl("nats", "NATS_URL", first, ["nats", "tls"], 4222);
  return { ...nt, user: decodeURIComponent(nt.url.username), pass: decodeURIComponent(nt.url.password) };
}

export function readClickHouseSettings(env) {
  const ch = parseUrl("clickhouse", "CLICKHOUSE_URL", value(env, "CLICKHOUSE_URL"), ["http", "https"], 8123);
  const database = value(env, "CLICKHOUSE_DB");
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw new InfraError("clickhouse", `CLICKHOUSE_DB "${database}" is not a plain identifier`, "Use letters, digits and _ only");
  }
  const user = value(env, "CLICKHOUSE_USER");
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(user)) {
    throw new InfraError("clickhouse", `CLICKHOUSE_USER "${user}" is not a plain user name`, "Use letters, digits, _ . - only");
  }
  // The HTTP interface is addressed without path or credentials; those go in headers.
  return {
    ...ch,
    baseUrl: `${ch.protocol}://${ch.url.host}`,
    database,
    user,
    password: env.CLICKHOUSE_PASSWORD ?? DEFAULTS.CLICKHOUSE_PASSWORD,
  };
}

/** Every component's settings; throws the first InfraError. */
export function readInfraSettings(env) {
  return {
    postgres: readPostgresSettings(env),
    redis: readRedisSettings(env),
    nats: readNatsSettings(env),
    clickhouse: readClickHouseSettings(env),
  };
}
