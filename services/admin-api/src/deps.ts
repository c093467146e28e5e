/** Everything admin-api handlers need, built once per process by service.ts. */
import type { Bus, ConfigStore, SettingsHolder } from "@thinkwatch/bus";
import type { ClickHouse } from "@thinkwatch/clickhouse";
import type { Keyring } from "@thinkwatch/crypto";
import type { Logger } from "@thinkwatch/log";
import type { AuditRecorder } from "./audit/audit-recorder.js";
import type { Authorizer } from "./auth/authorizer.js";
import type { TokenIssuer } from "./auth/tokens.js";
import type { PricingStore } from "./pricing/pricing-store.js";
import type { ProviderStore } from "./providers/provider-store.js";
import type { ChannelStore } from "./publish/channel-store.js";
import type { PricingPublisher } from "./publish/pricing-publisher.js";
import type { RoutingPublisher } from "./publish/routing-publisher.js";
import type { IdentityStore } from "./sso/identity-store.js";
import type { OidcDiscoveryCache } from "./sso/oidc-discovery.js";
import type { SsoConfigStore } from "./sso/sso-config-store.js";
import type { SettingsStore } from "./users/settings-store.js";
import type { UserStore } from "./users/user-store.js";

export interface AdminDeps {
  bus: Bus;
  config: ConfigStore;
  log: Logger;
  keyring: Keyring;
  tokens: TokenIssuer;
  authorizer: Authorizer;
  audit: AuditRecorder;
  users: UserStore;
  settings: SettingsStore;
  /** The settings as published to the config KV (what every replica sees); hot reads without a query. */
  liveSettings: SettingsHolder;
  providers: ProviderStore;
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
