/**
 * The ThinkWatch process entry. `node dist/main.js` runs every service in one process (the default); the argument
 * `--services=a,b` or THINKWATCH_SERVICES picks some, so one image serves both deployment modes.
 * `node dist/main.js migrate` applies the PostgreSQL and ClickHouse migrations and exits;
 * `node dist/main.js rotate-encryption-key` re-encrypts every stored secret under the current ENCRYPTION_KEY.
 */
import { runRotateEncryptionKey } from "@thinkwatch/admin-api";
import { runMain } from "@thinkwatch/lifecycle";
import { createLogger } from "@thinkwatch/log";
import { startTracing } from "@thinkwatch/tracing/sdk";
import { runMigrations } from "./migrate.js";
import { ALL_SERVICES } from "./services.js";

const argv = process.argv.slice(2);
if (argv[0] === "migrate") {
  process.exit((await runMigrations(process.env)) ? 0 : 1);
}
if (argv[0] === "rotate-encryption-key") {
  const ok = await runRotateEncryptionKey(process.env, {
    write: (line) => process.stdout.write(`${line}\n`),
    error: (line) => process.stderr.write(`${line}\n`),
  });
  process.exit(ok ? 0 : 1);
}

// Before any service starts, so their first spans already have a provider; a no-op unless tracing is asked for.
const tracingLog = createLogger({ service: "tracing", ...(process.env.LOG_LEVEL ? { level: process.env.LOG_LEVEL } : {}) });
const tracing = await startTracing({
  env: process.env,
  defaultServiceName: "thinkwatch",
  report: (message, fields) => tracingLog.warn(fields, message),
});
const fleet = await runMain({ available: ALL_SERVICES, argv, env: process.env });
if (fleet === null) {
  await tracing.shutdown();
  process.exit(1);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(
    signal,
    () =>
      void fleet
        .stop(signal)
        .then(() => tracing.shutdown())
        .then(() => process.exit(0)),
  );
}
