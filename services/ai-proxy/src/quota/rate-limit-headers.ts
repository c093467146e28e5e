/** `x-ratelimit-limit / -remaining / -reset` for the tightest rule or budget of a request, on every answer. */
import type { QuotaHeadroom } from "@thinkwatch/proto";
import * as v from "valibot";

const HeadroomDetailsSchema = v.object({ label: v.string(), limit: v.number(), remaining: v.number(), resetSeconds: v.number() });

export function setRateLimitHeaders(headers: Headers | Record<string, string>, headroom: QuotaHeadroom | null): void {
  if (headroom === null) return;
  const limit = String(headroom.limit);
  const remaining = String(Math.max(0, Math.floor(headroom.remaining * 1e6) / 1e6));
  const reset = String(headroom.resetSeconds);
  if (headers instanceof Headers) {
    headers.set("x-ratelimit-limit", limit);
    headers.set("x-ratelimit-remaining", remaining);
    headers.set("x-ratelimit-reset", reset);
    headers.set("x-ratelimit-rule", headroom.label);
    return;
  }
  headers["x-ratelimit-limit"] = limit;
  headers["x-ratelimit-remaining"] = remaining;
  headers["x-ratelimit-reset"] = reset;
  headers["x-ratelimit-rule"] = headroom.label;
}

/** The headroom a quota refusal carries in its details (see admit.ts). */
export function headroomOfDetails(details: Record<string, unknown> | undefined): QuotaHeadroom | null {
  const parsed = v.safeParse(HeadroomDetailsSchema, details?.rateLimit);
  return parsed.success ? parsed.output : null;
}
