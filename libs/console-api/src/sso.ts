/** Single sign-on: the OIDC configuration an admin saves or tests. The client secret is write-only. */
import * as v from "valibot";

const Text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max));

export const SsoConfigInputSchema = v.strictObject({
  enabled: v.boolean(),
  issuer: v.pipe(Text(2000), v.url("issuer must be a URL")),
  clientId: v.pipe(Text(500), v.minLength(1, "clientId is required")),
  /** Omit to keep the stored secret. */
  clientSecret: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4096))),
  scopes: v.optional(
    v.pipe(
      Text(500),
      v.check((value) => value.split(/\s+/).includes("openid"), "scopes must include openid"),
    ),
    "openid email profile",
  ),
  groupsClaim: v.optional(v.nullable(v.pipe(Text(100), v.minLength(1))), null),
  groupRoles: v.optional(v.record(v.pipe(v.string(), v.maxLength(200)), v.pipe(v.string(), v.maxLength(100))), {}),
  buttonLabel: v.optional(v.pipe(Text(100), v.minLength(1)), "Sign in with SSO"),
  redirectUri: v.optional(v.nullable(v.pipe(Text(2000), v.url("redirectUri must be a URL"))), null),
});
export type SsoConfigInput = v.InferOutput<typeof SsoConfigInputSchema>;

export const SsoStatusSchema = v.object({ enabled: v.boolean(), buttonLabel: v.nullable(v.string()) });
export type SsoStatus = v.InferOutput<typeof SsoStatusSchema>;

/** GET / PUT /api/admin/sso: the configuration as read back — the client secret only as a hint. */
export const SsoConfigViewSchema = v.object({
  enabled: v.boolean(),
  issuer: v.string(),
  clientId: v.string(),
  scopes: v.string(),
  groupsClaim: v.nullable(v.string()),
  groupRoles: v.record(v.string(), v.string()),
  buttonLabel: v.string(),
  redirectUri: v.nullable(v.string()),
  hasClientSecret: v.boolean(),
  clientSecretHint: v.nullable(v.string()),
  /** `degraded` when the stored secret cannot be decrypted (e.g. after a wrong key rotation). */
  status: v.picklist(["ok", "degraded"]),
  statusReason: v.nullable(v.string()),
});
export type SsoConfigView = v.InferOutput<typeof SsoConfigViewSchema>;

/** POST /api/admin/sso/test: what discovery found at the issuer. */
export const SsoDiscoverySchema = v.object({
  issuer: v.string(),
  authorizationEndpoint: v.nullable(v.string()),
  tokenEndpoint: v.nullable(v.string()),
  userinfoEndpoint: v.nullable(v.string()),
  codeChallengeMethods: v.array(v.string()),
});
export type SsoDiscovery = v.InferOutput<typeof SsoDiscoverySchema>;
