/** `x-ratelimit-limit / -remaining / -reset` for the tightest rule or budget of a request, on every answer. */
import type { QuotaHeadroom } from "@thinkwatch/proto";
import * as v from "valibot";

const HeadroomDetailsSchema = v.object({ label: v.string(), limit: v.number(), remaining: v.number(), resetSeconds: v.number() });

export function setRateLimitHeaders(headers: Headers | Record<string, string>, headroom: QuotaHeadroom | null): void {
  if (headroom === null) return;
  const values: Record<string, string> = {
    "x-ratelimit-limit": String(headroom.limit),
    "x-ratelimit-remaining": String(Math.max(0, Math.floor(headroom.remaining * 1e6) / 1e6)),
    "x-ratelimit-reset": String(headroom.resetSeconds),
    "x-ratelimit-rule": headroom.label,
  };
  for (const [name, value] of Object.entries(values)) {
    if (headers instanceof Headers) headers.set(name, value);
    else headers[name] = value;
  }
}

/** The headroom a quota refusal carries in its details (see admit.ts). */
export function headroomOfDetails(details: Record<string, unknown> | undefined): QuotaHeadroom | null {
  const parsed = v.safeParse(HeadroomDetailsSchema, details?.rateLimit);
  return parsed.success ? parsed.output : null;
}
