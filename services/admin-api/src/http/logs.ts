/**
 * The log explorer API: one route per source plus a unified search. `logs:read` sees the caller's own rows,
 * `logs:read_all` everyone's. Every input is validated (query syntax, time range, cursor, limit) into a 400 with
 * the reason; queries are built from fixed columns and bound literals only.
 */
import { LOG_SOURCES, LogQueryParamsSchema, type LogSource, LogSourceSchema } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import type { Context } from "hono";
import * as v from "valibot";
import type { AdminDeps } from "../deps.js";
import { decodeCursor, searchLogs } from "../logs/log-query.js";
import { parseLogQuery } from "../logs/query-syntax.js";
import type { ConsoleEnv, ConsoleRouter } from "./console-router.js";
import { readRouteQuery } from "./route-input.js";

const DAY_MS = 86_400_000;
const MAX_MS = Date.UTC(2105, 11, 31);

function instant(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const ms = /^\d{1,15}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_MS) {
    throw new AppError("bad_request", `${name} must be epoch milliseconds or an ISO 8601 date-time`);
  }
  return ms;
}

async function answer(c: Context<ConsoleEnv>, deps: AdminDeps, sources: readonly LogSource[]) {
  const params = readRouteQuery(c, LogQueryParamsSchema);
  const to = instant(params.to, "to", Date.now());
  const from = instant(params.from, "from", to - DAY_MS);
  if (from > to) throw new AppError("bad_request", "from must not be after to");
  const query = parseLogQuery(params.q);
  const user = c.get("user");
  const page = await searchLogs(deps.clickhouse, sources, query, {
    ownerId: user.permissions.has("logs:read_all") ? null : user.id,
    fromMs: from,
    toMs: to,
    limit: params.limit,
    cursor: params.cursor === undefined ? null : decodeCursor(params.cursor),
  });
  return c.json(page);
}

export function registerLogRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  for (const source of LOG_SOURCES) {
    router.route("GET", `/api/${source}/logs`, "logs:read", { query: LogQueryParamsSchema }, (c) => answer(c, deps, [source]));
  }
  router.route("GET", "/api/logs/search", "logs:read", { query: LogQueryParamsSchema }, (c) => {
    const requested = c.req.query("sources");
    const sources =
      requested === undefined || requested === ""
        ? LOG_SOURCES
        : validate(v.array(LogSourceSchema), [...new Set(requested.split(",").map((s) => s.trim()))]);
    return answer(c, deps, sources);
  });
}
