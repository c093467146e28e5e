/**
 * Webhook signatures: `X-ThinkWatch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The
 * timestamp is signed too, so a receiver can refuse replays older than its tolerance.
 */
import { createHmac } from "node:crypto";

export const SIGNATURE_HEADER = "x-thinkwatch-signature";

export function signWebhookBody(secret: string, body: string, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  const mac = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${mac}`;
}
