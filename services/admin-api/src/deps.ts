/** Everything admin-api handlers need, built once per process by service.ts. */
import type { Bus, ConfigStore, SettingsHolder } from "@thinkwatch/bus";
import type { ClickHouse } from "@thinkwatch/clickhouse";
import type { Keyring } from "@thinkwatch/crypto";
import type { Logger } from "@thinkwatch/log";
import type { AuditRecorder } from "./audit/audit-recorder.js";
import type { AccessCache } from "./auth/access-cache.js";
import type { Authorizer } from "./auth/authorizer.js";
import type { Clock } from "./auth/clock.js";
import type { LoginLockout } from "./auth/login-lockout.js";
import type { TokenIssuer } from "./auth/tokens.js";
import type { IdentityEvents } from "./identity/identity-events.js";
import type { PricingStore } from "./pricing/pricing-store.js";
import type { ModelStore } from "./providers/model-store.js";
import type { ProviderStore } from "./providers/provider-store.js";
import type { ChannelStore } from "./publish/channel-store.js";
import type { PricingPublisher } from "./publish/pricing-publisher.js";
import type { RoutingPublisher } from "./publish/routing-publisher.js";
import type { RoleStore } from "./roles/role-store.js";
import type { SessionStore } from "./sessions/session-store.js";
import type { IdentityStore } from "./sso/identity-store.js";
import type { OidcDiscoveryCache } from "./sso/oidc-discovery.js";
import type { SsoConfigStore } from "./sso/sso-config-store.js";
import type { TeamStore } from "./teams/team-store.js";
import type { InviteStore } from "./users/invite-store.js";
import type { SettingsStore } from "./users/settings-store.js";
import type { UserStore } from "./users/user-store.js";

export interface AdminDeps {
  bus: Bus;
  config: ConfigStore;
  log: Logger;
  keyring: Keyring;
  /** Time of everything that expires (tokens, sessions, lockouts, invitations); a fake clock in tests. */
  clock: Clock;
  tokens: TokenIssuer;
  authorizer: Authorizer;
  access: AccessCache;
  identity: IdentityEvents;
  lockout: LoginLockout;
  sessions: SessionStore;
  invites: InviteStore;
  audit: AuditRecorder;
  users: UserStore;
  teams: TeamStore;
  roles: RoleStore;
  settings: SettingsStore;
  /** The settings as published to the config KV (what every replica sees); hot reads without a query. */
  liveSettings: SettingsHolder;
  providers: ProviderStore;
  models: ModelStore;
  routing: RoutingPublisher;
  channels: ChannelStore;
  /** SSO: the OIDC configuration, linked identities, the IdP's discovered metadata. */
  sso: SsoConfigStore;
  identities: IdentityStore;
  oidc: OidcDiscoveryCache;
  /** Read-only: the log explorer. */
  clickhouse: ClickHouse;
  pricingStore: PricingStore;
  pricing: PricingPublisher;
}
