/**
 * GET /metrics: the process's registry in the Prometheus text format, for a scraper presenting the bearer token.
 * The token is compared in constant time (both sides hashed to the same length first).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { EnabledMetrics } from "./metrics.js";

const digest = (text: string) => createHash("sha256").update(text).digest();

export function createScrapeHandler(metrics: EnabledMetrics, token: string): (request: Request) => Promise<Response> {
  const expected = digest(token);
  return async (request) => {
    const header = request.headers.get("authorization") ?? "";
    const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? "";
    if (presented === "" || !timingSafeEqual(digest(presented), expected)) {
      return Response.json(
        { error: { code: "unauthenticated", message: "GET /metrics needs Authorization: Bearer <METRICS_BEARER_TOKEN>" } },
        { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"' } },
      );
    }
    const body = await metrics.registry.metrics();
    return new Response(body, { status: 200, headers: { "content-type": metrics.registry.contentType } });
  };
}
