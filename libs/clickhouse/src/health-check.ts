/** The ClickHouse health check of a service: the server answers /ping. */
import type { ClickHouse } from "./client.js";

export function clickhouseHealthCheck(clickhouse: ClickHouse) {
  return { name: "clickhouse", check: () => clickhouse.ping(), stats: () => ({ database: clickhouse.database }) };
}
