/** Everything key-service handlers and the enforcer need, built once per process by service.ts. */
import type { Bus, SettingsHolder } from "@thinkwatch/bus";
import type { Keyring } from "@thinkwatch/crypto";
import type { Database } from "@thinkwatch/db";
import type { Logger } from "@thinkwatch/log";
import type { KeyEvents } from "./keys/key-events.js";

export interface KeyServiceDeps {
  db: Database;
  bus: Bus;
  events: KeyEvents;
  settings: SettingsHolder;
  /** Seals the plaintext of automatically rotated keys until their owner reveals it. */
  keyring: Keyring;
  /** The clock every lifecycle decision uses (injectable so tests drive time). */
  now: () => number;
  log: Logger;
}
