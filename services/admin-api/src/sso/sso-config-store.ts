/**
 * The SSO (OpenID Connect) configuration: one row of system_settings under the key `sso` (not one of the seven
 * settings categories, because it holds a secret and is never published to the config KV). The client secret is
 * stored AES-256-GCM encrypted; only admin-api reads it, to talk to the identity provider.
 */
import { type Database, tables } from "@thinkwatch/db";
import { eq } from "drizzle-orm";
import * as v from "valibot";

export const SSO_SETTINGS_KEY = "sso";

export const StoredSsoConfigSchema = v.object({
  enabled: v.boolean(),
  issuer: v.string(),
  clientId: v.string(),
  clientSecretEncrypted: v.nullable(v.string()),
  /** Space-separated scopes beyond `openid` (email and profile give the claims we map). */
  scopes: v.optional(v.string(), "openid email profile"),
  /** The claim holding the user's groups, and which group maps to which role (first match in role order wins). */
  groupsClaim: v.optional(v.nullable(v.string()), null),
  groupRoles: v.optional(v.record(v.string(), v.string()), {}),
  /** The callback URL registered at the IdP; null: this console's own `/api/auth/sso/callback`. */
  redirectUri: v.optional(v.nullable(v.string()), null),
  /** The label of the login page's button. */
  buttonLabel: v.optional(v.string(), "Sign in with SSO"),
});
export type StoredSsoConfig = v.InferOutput<typeof StoredSsoConfigSchema>;

export interface SsoConfigStore {
  get(): Promise<StoredSsoConfig | null>;
  put(config: StoredSsoConfig): Promise<void>;
}

export function createPostgresSsoConfigStore(db: Database): SsoConfigStore {
  const { systemSettings } = tables;
  return {
    async get() {
      const [row] = await db.select().from(systemSettings).where(eq(systemSettings.key, SSO_SETTINGS_KEY)).limit(1);
      if (row === undefined) return null;
      const parsed = v.safeParse(StoredSsoConfigSchema, row.value);
      return parsed.success ? parsed.output : null;
    },
    async put(config) {
      const value = v.parse(StoredSsoConfigSchema, config);
      await db
        .insert(systemSettings)
        .values({ key: SSO_SETTINGS_KEY, value })
        .onConflictDoUpdate({ target: systemSettings.key, set: { value, updatedAt: new Date() } });
    },
  };
}
