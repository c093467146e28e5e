/**
 * The system settings as every service sees them: the defaults until admin-api's read-model arrives from the config
 * KV bucket, then each new revision as it is published. Reading is a property access, so hot paths may call
 * `current()` per request.
 */
import type { Logger } from "@thinkwatch/log";
import { CONFIG_KEYS, DEFAULT_SETTINGS, type Settings } from "@thinkwatch/proto";
import type { ConfigStore } from "./config-store.js";

export interface SettingsHolder {
  current(): Settings;
  /** Called after each change (not for the initial value). */
  onChange(listener: (settings: Settings) => void): void;
  stop(): void;
}

export async function watchSettings(store: ConfigStore, log: Logger): Promise<SettingsHolder> {
  let settings: Settings = DEFAULT_SETTINGS;
  let loaded = false;
  const listeners: Array<(settings: Settings) => void> = [];
  const watcher = await store.watch(CONFIG_KEYS.settings, (model) => {
    settings = model.settings;
    if (!loaded) {
      loaded = true;
      return;
    }
    log.info({ revision: model.revision }, "settings changed");
    for (const listener of listeners) {
      try {
        listener(settings);
      } catch (caught) {
        log.error({ err: caught }, "settings listener failed");
      }
    }
  });
  loaded = true;
  return {
    current: () => settings,
    onChange: (listener) => listeners.push(listener),
    stop: () => watcher.stop(),
  };
}

/** A fixed settings holder (tests, tools). */
export function staticSettings(settings: Settings = DEFAULT_SETTINGS): SettingsHolder {
  return { current: () => settings, onChange: () => undefined, stop: () => undefined };
}
