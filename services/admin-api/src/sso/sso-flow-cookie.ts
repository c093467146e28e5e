/**
 * The state of one SSO login between /authorize and /callback (state, nonce, PKCE verifier), kept in the browser as
 * an AES-256-GCM sealed, HttpOnly cookie scoped to the callback path: nothing to store server-side, nothing the
 * browser can read or change, and it is cleared by the callback so it serves one login only.
 */
import type { Keyring } from "@thinkwatch/crypto";
import * as v from "valibot";

export const SSO_FLOW_COOKIE = "tw_sso_flow";
export const SSO_FLOW_TTL_SECONDS = 600;

const FlowSchema = v.object({
  state: v.string(),
  nonce: v.string(),
  verifier: v.string(),
  redirectUri: v.string(),
  /** Epoch ms after which the flow is void. */
  expiresAt: v.number(),
});
export type SsoFlow = v.InferOutput<typeof FlowSchema>;

export function sealFlow(keyring: Keyring, flow: SsoFlow): string {
  return keyring.encrypt(JSON.stringify(flow));
}

/** The flow in the cookie, or null when it is missing, forged, from another key or expired. */
export function openFlow(keyring: Keyring, sealed: string | undefined, now = Date.now()): SsoFlow | null {
  if (sealed === undefined || sealed.length > 4096) return null;
  try {
    const flow = v.parse(FlowSchema, JSON.parse(keyring.decrypt(sealed)));
    return flow.expiresAt > now ? flow : null;
  } catch {
    return null;
  }
}
