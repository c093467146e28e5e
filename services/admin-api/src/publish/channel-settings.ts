/**
 * A channel's settings between the console and storage: a webhook's signing secret arrives in plain text, is
 * stored encrypted (`secretEncrypted`) and never leaves again — views say only `hasSecret`.
 */
import { WebhookSettingsInputSchema } from "@thinkwatch/console-api";
import type { Keyring } from "@thinkwatch/crypto";
import { validate } from "@thinkwatch/http";
import { KafkaChannelSettingsSchema, type LogChannel, SyslogChannelSettingsSchema } from "@thinkwatch/proto";

/** Settings as stored for `kind`, from console input; `previous` keeps a webhook's secret when none is given. */
export function storedSettings(
  kind: LogChannel["kind"],
  input: unknown,
  keyring: Keyring,
  previous: Record<string, unknown> | null = null,
): Record<string, unknown> {
  if (kind === "syslog") return validate(SyslogChannelSettingsSchema, input);
  if (kind === "kafka") return validate(KafkaChannelSettingsSchema, input);
  const { secret, ...rest } = validate(WebhookSettingsInputSchema, input);
  const secretEncrypted =
    secret === undefined
      ? ((previous?.secretEncrypted as string | null | undefined) ?? null)
      : secret === null
        ? null
        : keyring.encrypt(secret);
  return { ...rest, secretEncrypted };
}

export function channelView(channel: LogChannel) {
  const { secretEncrypted, ...settings } = channel.settings;
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    enabled: channel.enabled,
    createdAt: channel.createdAt,
    eventKinds: channel.eventKinds,
    settings,
    hasSecret: typeof secretEncrypted === "string" && secretEncrypted !== "",
  };
}
