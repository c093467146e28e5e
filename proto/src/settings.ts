/**
 * System settings: the `system_settings` table's content, by the seven categories of the console's Settings page.
 * admin-api validates every change against these schemas and publishes the whole object to the config KV bucket
 * (`CONFIG_KEYS.settings`); every replica of every service watches it, so a change applies without a restart.
 * Every field has a default, so a fresh install (or a setting added later) is always complete.
 */
import * as v from "valibot";
import { NamePatternSchema } from "./keys.js";

const Int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const Days = Int(1, 3650);

/**
 * Upstream model names served only by OpenAI's Responses API (pro, deep-research, codex and computer-use families):
 * Chat Completions clients reach them through a conversion. `*` matches any run of characters.
 */
export const DEFAULT_RESPONSES_ONLY_MODELS: readonly string[] = [
  "o1-pro*",
  "o3-pro*",
  "o3-deep-research*",
  "o4-mini-deep-research*",
  "gpt-5-pro*",
  "gpt-5.*-pro*",
  "gpt-5-codex*",
  "gpt-5.*-codex*",
  "codex-mini*",
  "computer-use-preview*",
];

export const GeneralSettingsSchema = v.object({
  siteName: v.optional(v.pipe(v.string(), v.maxLength(200)), "ThinkWatch"),
  /** The gateway's address as clients reach it (shown in the console's snippets); empty: derived from the browser. */
  publicGatewayUrl: v.optional(v.pipe(v.string(), v.maxLength(2000)), ""),
});

export const AuthSettingsSchema = v.object({
  accessTokenTtlSeconds: v.optional(Int(60, 86_400), 900),
  refreshTokenTtlSeconds: v.optional(Int(300, 90 * 86_400), 7 * 86_400),
  /** Bind console sessions to the client IP they were created from. */
  sessionIpBinding: v.optional(v.boolean(), true),
  /** Failed logins per account before the first lockout; each later lockout doubles. */
  lockoutThreshold: v.optional(Int(1, 100), 5),
  lockoutBaseSeconds: v.optional(Int(1, 86_400), 60),
  lockoutMaxSeconds: v.optional(Int(1, 7 * 86_400), 3600),
  /** Failed logins per client IP (any account) before that IP is locked out. */
  ipLockoutThreshold: v.optional(Int(1, 10_000), 50),
  /** Role given to users created on their first SSO login. */
  ssoDefaultRole: v.optional(v.string(), "developer"),
  /** Link an SSO login to an existing local user with the same, IdP-verified email. */
  ssoLinkByVerifiedEmail: v.optional(v.boolean(), false),
  /** How long an invitation link to set a first password stays valid. */
  inviteTtlHours: v.optional(Int(1, 30 * 24), 72),
});

export const GatewaySettingsSchema = v.object({
  /** Retries for connection errors, timeouts, 429 and 5xx before any byte reached the client. */
  retryMaxAttempts: v.optional(Int(0, 10), 2),
  retryBaseDelayMs: v.optional(Int(1, 60_000), 200),
  retryMaxDelayMs: v.optional(Int(1, 300_000), 5_000),
  /** Total time a request may spend on retries and fallbacks. */
  retryBudgetMs: v.optional(Int(0, 600_000), 30_000),
  connectTimeoutMs: v.optional(Int(100, 120_000), 10_000),
  firstByteTimeoutMs: v.optional(Int(100, 3_600_000), 120_000),
  idleTimeoutMs: v.optional(Int(100, 3_600_000), 300_000),
  totalTimeoutMs: v.optional(Int(1000, 24 * 3_600_000), 3_600_000),
  breakerFailureThreshold: v.optional(Int(1, 10_000), 5),
  breakerErrorRatePct: v.optional(Int(1, 100), 50),
  breakerWindowSeconds: v.optional(Int(1, 3600), 60),
  breakerRecoverySeconds: v.optional(Int(1, 3600), 30),
  breakerHalfOpenProbes: v.optional(Int(1, 100), 1),
  /** Request bytes held in memory across all in-flight requests of one process. */
  inFlightBodyBudgetBytes: v.optional(Int(1024 * 1024, 64 * 1024 * 1024 * 1024), 512 * 1024 * 1024),
  /** Concurrent requests of one key on one process; 0: unlimited. */
  perKeyConcurrency: v.optional(Int(0, 100_000), 64),
  /** Refuse (400) parameters the target cannot express instead of dropping them with a header. */
  strictConversion: v.optional(v.boolean(), false),
  /**
   * Send Anthropic `metadata.user_id` on as the OpenAI `user` field when converting. Off: Claude Code fills it with
   * device and session ids, which should not leave the organisation by accident.
   */
  forwardMetadataUserId: v.optional(v.boolean(), false),
  /**
   * Upstream model name patterns that only the Responses API serves (for kinds that speak it). Replaces the defaults
   * as a whole, so a family can be taken out too; a provider's `settings.responsesModels` adds to it.
   */
  responsesOnlyModels: v.optional(v.pipe(v.array(NamePatternSchema), v.maxLength(500)), () => [...DEFAULT_RESPONSES_ONLY_MODELS]),
  /**
   * Chat Completions requests that ask for reasoning (`reasoning_effort`) on a provider that also speaks the
   * Responses API go there by conversion, the only API that returns the encrypted reasoning which keeps thinking on
   * across turns. Off: they stay on Chat Completions, byte for byte, and reasoning is not carried between turns.
   */
  chatReasoningViaResponses: v.optional(v.boolean(), true),
});

export const SecuritySettingsSchema = v.object({
  /** When the rate limiter cannot be asked: refuse (429 rate_limiter_unavailable) instead of letting through. */
  rateLimitFailClosed: v.optional(v.boolean(), false),
  /** Upstream URLs (providers, MCP servers) may resolve to loopback and private ranges (local model servers). */
  allowPrivateUpstreams: v.optional(v.boolean(), true),
  /** Proxies whose X-Forwarded-For is believed (CIDRs or addresses). */
  trustedProxies: v.optional(v.array(v.pipe(v.string(), v.maxLength(100))), []),
});

export const ApiKeySettingsSchema = v.object({
  /** Expiry given to new keys that do not name one; 0: never. */
  defaultExpiryDays: v.optional(Int(0, 3650), 0),
  /** How long a rotated-out key keeps working beside its successor. */
  rotationGraceHours: v.optional(Int(0, 720), 24),
  /** Days before expiry on which a warning event is recorded. */
  expiryWarningDays: v.optional(v.array(Int(1, 365)), [7, 3, 1]),
  /** Default inactivity timeout for new keys; 0: none. */
  defaultInactivityDays: v.optional(Int(0, 3650), 0),
  /** Soft-deleted keys are purged after this many days. */
  purgeAfterDays: v.optional(Days, 30),
});

export const AuditSettingsSchema = v.object({
  retentionDaysAudit: v.optional(Days, 90),
  retentionDaysGateway: v.optional(Days, 90),
  retentionDaysMcp: v.optional(Days, 90),
  retentionDaysAccess: v.optional(Days, 30),
  retentionDaysApp: v.optional(Days, 30),
});

export const PerformanceSettingsSchema = v.object({
  /** How long an edge trusts a verified key before asking key-service again (revocations arrive by broadcast). */
  keyCacheTtlSeconds: v.optional(Int(1, 3600), 60),
  auditBatchMax: v.optional(Int(1, 100_000), 1000),
  auditBatchWaitMs: v.optional(Int(1, 60_000), 250),
});

export const SettingsSchema = v.object({
  general: v.optional(GeneralSettingsSchema, {}),
  auth: v.optional(AuthSettingsSchema, {}),
  gateway: v.optional(GatewaySettingsSchema, {}),
  security: v.optional(SecuritySettingsSchema, {}),
  api_keys: v.optional(ApiKeySettingsSchema, {}),
  audit: v.optional(AuditSettingsSchema, {}),
  performance: v.optional(PerformanceSettingsSchema, {}),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;
export type SettingsCategory = keyof Settings;
export const SETTINGS_CATEGORIES = Object.keys(SettingsSchema.entries) as SettingsCategory[];
export const SettingsCategorySchema = v.picklist(SETTINGS_CATEGORIES as [SettingsCategory, ...SettingsCategory[]]);

/** Every setting at its default. */
export const DEFAULT_SETTINGS: Settings = v.parse(SettingsSchema, {});

/** The settings read-model in the config KV bucket (the same object, plus a revision that only grows). */
export const SettingsReadModelSchema = v.object({ revision: v.number(), settings: SettingsSchema });
export type SettingsReadModel = v.InferOutput<typeof SettingsReadModelSchema>;
