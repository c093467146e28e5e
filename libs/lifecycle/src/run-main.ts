/**
 * The body every main.ts shares: choose services (argument `--services=a,b` or THINKWATCH_SERVICES, default all),
 * start them, print where they listen; on a startup problem print one line per problem and exit 1.
 */

import { type Fleet, StartupError, startFleet } from "./fleet.js";
import type { ServiceDefinition } from "./service.js";

export interface MainOptions {
  // biome-ignore lint/suspicious/noExplicitAny: definitions of different services have different config types
  available: ServiceDefinition<any>[];
  argv: string[];
  env: Record<string, string | undefined>;
}

export async function runMain(options: MainOptions): Promise<Fleet | null> {
  const argument = options.argv.find((a) => a.startsWith("--services="))?.slice("--services=".length);
  const requested = (argument ?? options.env.THINKWATCH_SERVICES ?? "all")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Map(options.available.map((s) => [s.name, s]));
  const unknown = requested.filter((name) => name !== "all" && !known.has(name));
  if (unknown.length > 0) {
    process.stderr.write(
      `THINKWATCH_SERVICES: unknown service ${unknown.join(", ")}; choose from all, ${[...known.keys()].join(", ")}\n`,
    );
    return null;
  }
  const selected = requested.includes("all") ? options.available : options.available.filter((s) => requested.includes(s.name));
  try {
    return await startFleet({ services: selected, env: options.env });
  } catch (caught) {
    if (caught instanceof StartupError) {
      process.stderr.write(`ThinkWatch cannot start:\n${caught.lines.map((line) => `  ${line}`).join("\n")}\n`);
      return null;
    }
    throw caught;
  }
}
