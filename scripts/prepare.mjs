#!/usr/bin/env node
// CLI: bring up PostgreSQL, Redis, NATS (JetStream) and ClickHouse for this checkout, one status line per component;
// exits 1 after printing one line per problem. Optional arguments name the components to prepare (default: all).
// Plain Node with no npm dependencies, so it works before `npm install`.
import { InfrastructureError, prepareInfrastructure } from "./infra/index.mjs";

try {
  const only = process.argv.slice(2);
  await prepareInfrastructure({ only: only.length > 0 ? only : undefined });
} catch (caught) {
  // Each component's failure line was already printed by prepareInfrastructure.
  if (!(caught instanceof InfrastructureError))
    console.error(`prepare: ${caught instanceof Error ? caught.stack : String(caught)}`);
  process.exit(1);
}
