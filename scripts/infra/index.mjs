// Brings up what ThinkWatch needs — PostgreSQL, Redis, NATS with JetStream, ClickHouse — using servers reachable at
// the configured URLs and starting local ones (data under <repo>/.data) otherwise. `scripts/prepare.mjs` is the CLI.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareClickHouse } from "./clickhouse.mjs";
import { InfraError, toInfraError } from "./infra-error.mjs";
import { prepareNats } from "./nats.mjs";
import { preparePostgres } from "./postgres.mjs";
import { prepareRedis } from "./redis.mjs";
import { readClickHouseSettings, readNatsSettings, readPostgresSettings, readRedisSettings } from "./settings.mjs";

export { createClickHouseDatabase, prepareClickHouse, probeClickHouseServer } from "./clickhouse.mjs";
export { InfraError } from "./infra-error.mjs";
export { prepareNats, probeNatsServer } from "./nats.mjs";
export { createPostgresDatabase, preparePostgres, probePostgresServer } from "./postgres.mjs";
export { prepareRedis, probeRedisServer } from "./redis.mjs";
export {
  readClickHouseSettings,
  readInfraSettings,
  readNatsSettings,
  readPostgresSettings,
  readRedisSettings,
} from "./settings.mjs";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** In the order they are prepared; apt-get installs must not overlap, so components run one after another. */
export const COMPONENTS = {
  postgres: { read: readPostgresSettings, prepare: preparePostgres, remedy: "Check DATABASE_URL" },
  redis: { read: readRedisSettings, prepare: prepareRedis, remedy: "Check REDIS_URL" },
  nats: { read: readNatsSettings, prepare: prepareNats, remedy: "Check NATS_URL" },
  clickhouse: { read: readClickHouseSettings, prepare: prepareClickHouse, remedy: "Check CLICKHOUSE_URL" },
};

/** Thrown when at least one component failed; `problems` holds one InfraError per failed component. */
export class InfrastructureError extends Error {
  constructor(problems) {
    super(problems.map((problem) => `${problem.component}: ${problem.message}`).join("\n"));
    this.name = "InfrastructureError";
    this.problems = problems;
  }
}

export function formatStatus(component, status, text) {
  return `${component.padEnd(11)}${status.padEnd(3)} ${text}`;
}

/**
 * @param {{ env?: Record<string, string | undefined>, log?: (line: string) => void,
 *   dataDir?: string (default: THINKWATCH_DATA_DIR, else <repo>/.data),
 *   only?: Array<keyof typeof COMPONENTS> }} [options]
 * @returns {Promise<Record<string, { address: string, note: string }>>} per component: where it is and what was done
 * @throws {InfrastructureError} after every component was tried, listing each failure (already logged)
 */
export async function prepareInfrastructure({ env = process.env, log = (line) => console.log(line), dataDir, only } = {}) {
  // THINKWATCH_DATA_DIR moves the servers' data elsewhere (tests use a throwaway folder); default <repo>/.data.
  const dataRoot = dataDir ?? (env.THINKWATCH_DATA_DIR ? resolve(env.THINKWATCH_DATA_DIR) : resolve(REPO_ROOT, ".data"));
  const names = only ?? Object.keys(COMPONENTS);
  const unknown = names.filter((name) => !(name in COMPONENTS));
  if (unknown.length > 0) {
    const problems = unknown.map(
      (name) => new InfraError(name, `unknown component "${name}"`, `Use ${Object.keys(COMPONENTS).join(", ")}`),
    );
    for (const problem of problems) log(formatStatus(problem.component, "FAIL", problem.message));
    throw new InfrastructureError(problems);
  }

  const results = {};
  const problems = [];
  for (const name of names) {
    const component = COMPONENTS[name];
    try {
      const result = await component.prepare({ settings: component.read(env), dataDir: dataRoot, log });
      results[name] = result;
      log(formatStatus(name, "ok", `${result.address} (${result.note})`));
    } catch (caught) {
      const problem = toInfraError(name, caught, component.remedy);
      problems.push(problem);
      log(formatStatus(name, "FAIL", problem.message));
    }
  }
  if (problems.length > 0) throw new InfrastructureError(problems);
  return results;
}
