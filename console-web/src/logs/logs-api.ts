/** The log explorer API: one page of rows across the chosen sources, newest first, with the cursor of the next. */
import type { LogPage, LogSource } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { LogPage, LogRow, LogSource } from "@thinkwatch/console-api";

export function searchLogs(api: ApiClient, source: LogSource | "all", q: string, cursor: string | null): Promise<LogPage> {
  const params = new URLSearchParams({ q, limit: "50" });
  if (cursor !== null) params.set("cursor", cursor);
  const path = source === "all" ? "/api/logs/search" : `/api/${source}/logs`;
  return api.get<LogPage>(`${path}?${params.toString()}`);
}
