/**
 * The log explorer: `/api/audit/logs`, `/api/gateway/logs`, `/api/mcp/logs`, `/api/access/logs`, `/api/app/logs`
 * and `/api/logs/search` (all sources). Query string: `q` in the structured syntax
 * (`user:alice model:gpt-4o status:>=400 "free text"`), `from`/`to` (epoch ms or ISO 8601), `cursor`, `limit`.
 */
import * as v from "valibot";

export const LOG_SOURCES = ["gateway", "mcp", "audit", "access", "app"] as const;
export const LogSourceSchema = v.picklist(LOG_SOURCES);
export type LogSource = v.InferOutput<typeof LogSourceSchema>;

export const LogQueryParamsSchema = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(2000, "q is longer than 2000 characters")), ""),
  from: v.optional(v.string()),
  to: v.optional(v.string()),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(500))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,3}$/, "limit must be 1-200"), v.transform(Number), v.minValue(1), v.maxValue(200)),
    "50",
  ),
  /** /api/logs/search only: comma-separated sources (default all). */
  sources: v.optional(v.string()),
});
export type LogQueryParams = v.InferOutput<typeof LogQueryParamsSchema>;

export const LogRowSchema = v.object({
  source: LogSourceSchema,
  eventId: v.string(),
  /** Epoch ms. */
  occurredAt: v.number(),
  /** One line for the list: model and status, tool and status, action and outcome. */
  summary: v.string(),
  /** Every column of the row (values as ClickHouse returned them). */
  fields: v.record(v.string(), v.unknown()),
});
export type LogRow = v.InferOutput<typeof LogRowSchema>;

export const LogPageSchema = v.object({ rows: v.array(LogRowSchema), nextCursor: v.nullable(v.string()) });
export type LogPage = v.InferOutput<typeof LogPageSchema>;
