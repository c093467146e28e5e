/**
 * The ThinkWatch process entry. Runs every service in one process (the default) or the ones named by
 * `--services=a,b` / THINKWATCH_SERVICES, so one image serves both deployment modes.
 */
import { runMain } from "@thinkwatch/lifecycle";

const fleet = await runMain({ available: [], argv: process.argv.slice(2), env: process.env });
if (fleet === null) process.exit(1);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void fleet.stop(signal).then(() => process.exit(0));
  });
}
