/**
 * How each setting is edited: its label, input kind and hint, by category, in the order shown. The values and
 * their rules come from the settings schemas (@thinkwatch/console-api); this only says how to present them.
 */
import type { SettingsCategory } from "./settings-api";

export type SettingKind = "number" | "boolean" | "text" | "list" | "number-list" | "role";

export interface SettingField {
  key: string;
  label: string;
  kind: SettingKind;
  hint?: string;
}

export const SETTINGS_TABS: ReadonlyArray<{ id: SettingsCategory; label: string; description: string }> = [
  { id: "general", label: "General", description: "How this installation presents itself." },
  { id: "auth", label: "Authentication", description: "Sessions, lockout and single sign-on." },
  { id: "gateway", label: "Gateway", description: "Retries, timeouts, circuit breakers and conversion." },
  { id: "security", label: "Security", description: "Rate-limiter failure mode, upstream egress, trusted proxies." },
  { id: "api_keys", label: "API keys", description: "Defaults and lifecycle of virtual keys." },
  { id: "audit", label: "Audit", description: "How long logs are kept, in days." },
  { id: "performance", label: "Performance", description: "Caches and audit batching." },
];

export const SETTING_FIELDS: Record<SettingsCategory, readonly SettingField[]> = {
  general: [
    { key: "siteName", label: "Site name", kind: "text" },
    {
      key: "publicGatewayUrl",
      label: "Public gateway URL",
      kind: "text",
      hint: "Shown in snippets; empty: derived from the browser.",
    },
  ],
  auth: [
    { key: "accessTokenTtlSeconds", label: "Access token lifetime (s)", kind: "number" },
    { key: "refreshTokenTtlSeconds", label: "Refresh token lifetime (s)", kind: "number" },
    { key: "sessionIpBinding", label: "Bind sessions to the client IP", kind: "boolean" },
    { key: "lockoutThreshold", label: "Failed logins before lockout", kind: "number" },
    { key: "lockoutBaseSeconds", label: "First lockout (s)", kind: "number" },
    { key: "lockoutMaxSeconds", label: "Longest lockout (s)", kind: "number" },
    { key: "ipLockoutThreshold", label: "Failed logins per IP before lockout", kind: "number" },
    { key: "ssoDefaultRole", label: "Role of new SSO users", kind: "role" },
    {
      key: "ssoLinkByVerifiedEmail",
      label: "Link SSO logins to local users by verified email",
      kind: "boolean",
      hint: "Only when the identity provider marks the email as verified.",
    },
    { key: "inviteTtlHours", label: "Invitation link lifetime (hours)", kind: "number" },
  ],
  gateway: [
    { key: "retryMaxAttempts", label: "Retry attempts", kind: "number" },
    { key: "retryBaseDelayMs", label: "Retry base delay (ms)", kind: "number" },
    { key: "retryMaxDelayMs", label: "Retry max delay (ms)", kind: "number" },
    { key: "retryBudgetMs", label: "Retry budget (ms)", kind: "number" },
    { key: "connectTimeoutMs", label: "Connect timeout (ms)", kind: "number" },
    { key: "firstByteTimeoutMs", label: "First-byte timeout (ms)", kind: "number" },
    { key: "idleTimeoutMs", label: "Idle timeout (ms)", kind: "number" },
    { key: "totalTimeoutMs", label: "Total timeout (ms)", kind: "number" },
    { key: "breakerFailureThreshold", label: "Breaker failure threshold", kind: "number" },
    { key: "breakerErrorRatePct", label: "Breaker error rate (%)", kind: "number" },
    { key: "breakerWindowSeconds", label: "Breaker window (s)", kind: "number" },
    { key: "breakerRecoverySeconds", label: "Breaker recovery (s)", kind: "number" },
    { key: "breakerHalfOpenProbes", label: "Half-open probes", kind: "number" },
    { key: "inFlightBodyBudgetBytes", label: "In-flight body budget (bytes)", kind: "number" },
    { key: "perKeyConcurrency", label: "Concurrent requests per key (0: unlimited)", kind: "number" },
    { key: "strictConversion", label: "Refuse parameters the target cannot express", kind: "boolean" },
    {
      key: "forwardMetadataUserId",
      label: "Send Anthropic metadata.user_id on as the OpenAI user field",
      kind: "boolean",
      hint: "Off: Claude Code's device and session ids stay inside the organisation.",
    },
    {
      key: "responsesOnlyModels",
      label: "Models served only by the Responses API",
      kind: "list",
      hint: "Upstream model names or patterns with *, comma-separated; Chat Completions clients reach them by conversion.",
    },
    {
      key: "chatReasoningViaResponses",
      label: "Carry reasoning of Chat Completions clients through the Responses API",
      kind: "boolean",
      hint: "Off: Chat Completions requests with reasoning_effort stay on Chat Completions byte for byte, and reasoning is not kept between turns.",
    },
  ],
  security: [
    { key: "rateLimitFailClosed", label: "Refuse requests when the rate limiter is unavailable", kind: "boolean" },
    {
      key: "allowPrivateUpstreams",
      label: "Allow upstreams on loopback and private networks",
      kind: "boolean",
      hint: "Local model servers need this; link-local and cloud metadata addresses are always refused.",
    },
    { key: "trustedProxies", label: "Trusted proxies", kind: "list", hint: "Addresses or CIDRs, comma-separated." },
  ],
  api_keys: [
    { key: "defaultExpiryDays", label: "Default expiry (days, 0: never)", kind: "number" },
    { key: "rotationGraceHours", label: "Rotation grace (hours)", kind: "number" },
    {
      key: "expiryWarningDays",
      label: "Expiry warnings (days before)",
      kind: "number-list",
      hint: "Comma-separated, e.g. 7, 3, 1.",
    },
    { key: "defaultInactivityDays", label: "Default inactivity timeout (days, 0: none)", kind: "number" },
    { key: "purgeAfterDays", label: "Purge deleted keys after (days)", kind: "number" },
  ],
  audit: [
    { key: "retentionDaysAudit", label: "Audit log", kind: "number" },
    { key: "retentionDaysGateway", label: "Gateway log", kind: "number" },
    { key: "retentionDaysMcp", label: "MCP log", kind: "number" },
    { key: "retentionDaysAccess", label: "Access log", kind: "number" },
    { key: "retentionDaysApp", label: "Application log", kind: "number" },
  ],
  performance: [
    { key: "keyCacheTtlSeconds", label: "Key cache TTL (s)", kind: "number" },
    { key: "auditBatchMax", label: "Audit batch size", kind: "number" },
    { key: "auditBatchWaitMs", label: "Audit batch wait (ms)", kind: "number" },
  ],
};
