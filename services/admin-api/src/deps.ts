/** Everything admin-api handlers need, built once per process by service.ts. */
import type { Bus, ConfigStore } from "@thinkwatch/bus";
import type { Keyring } from "@thinkwatch/crypto";
import type { Logger } from "@thinkwatch/log";
import type { AuditRecorder } from "./audit/audit-recorder.js";
import type { Authorizer } from "./auth/authorizer.js";
import type { TokenIssuer } from "./auth/tokens.js";
import type { ModelStore } from "./providers/model-store.js";
import type { ProviderStore } from "./providers/provider-store.js";
import type { ChannelStore } from "./publish/channel-store.js";
import type { RoutingPublisher } from "./publish/routing-publisher.js";
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
  providers: ProviderStore;
  models: ModelStore;
  routing: RoutingPublisher;
  channels: ChannelStore;
}
