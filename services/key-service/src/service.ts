/**
 * key-service: owns api_keys; serves keys.v1.* over NATS; broadcasts key changes to the edges; runs the lifecycle
 * enforcer; follows identity changes. `createKeyService({ now })` lets tests drive the lifecycle with a fake clock.
 */
import {
  announceInstance,
  connectServiceBus,
  createOutbox,
  ensureStream,
  natsDependency,
  natsHealthCheck,
  openConfigStore,
  watchSettings,
} from "@thinkwatch/bus";
import { createKeyring } from "@thinkwatch/crypto";
import { createDb, postgresDependency, postgresHealthCheck } from "@thinkwatch/db";
import { defineService, serviceHealth } from "@thinkwatch/lifecycle";
import { natsRequestObserver, whenCollected } from "@thinkwatch/metrics";
import { STREAMS } from "@thinkwatch/proto";
import { KeyServiceConfigSchema } from "./config.js";
import type { KeyServiceDeps } from "./deps.js";
import { createKeyEnforcer, type KeyEnforcer } from "./enforcer/key-enforcer.js";
import { registerUsersChanged } from "./identity/users-changed.js";
import { createKeyEvents } from "./keys/key-events.js";
import { registerKeysCreate } from "./nats/keys-create.js";
import { registerKeysDelete } from "./nats/keys-delete.js";
import { registerKeysGet } from "./nats/keys-get.js";
import { registerKeysList } from "./nats/keys-list.js";
import { registerKeysReveal } from "./nats/keys-reveal.js";
import { registerKeysRevoke } from "./nats/keys-revoke.js";
import { registerKeysRotate } from "./nats/keys-rotate.js";
import { registerKeysTouch } from "./nats/keys-touch.js";
import { registerKeysUpdate } from "./nats/keys-update.js";
import { registerKeysVerify } from "./nats/keys-verify.js";

export interface KeyServiceOptions {
  now?: () => number;
  /** Called with the running enforcer (tests run passes on demand). */
  onEnforcer?: (enforcer: KeyEnforcer) => void;
}

export function createKeyService(options: KeyServiceOptions = {}) {
  const now = options.now ?? Date.now;
  return defineService({
    name: "key-service",
    config: KeyServiceConfigSchema,
    dependencies: (config) => [postgresDependency(config.DATABASE_URL), natsDependency(config.NATS_URL)],
    async start(config, { log, instanceId, resources, metrics }) {
      const pg = createDb({ url: config.DATABASE_URL, name: "key-service" });
      const bus = await connectServiceBus(resources, {
        url: config.NATS_URL,
        namespace: config.THINKWATCH_NAMESPACE,
        name: `thinkwatch-${instanceId}`,
        log,
        observer: natsRequestObserver(metrics),
      });
      // Key lifecycle audit records go to the AUDIT stream; make sure it exists even before audit-ingest starts.
      await ensureStream(bus, STREAMS.audit);
      const settings = await watchSettings(await openConfigStore(bus, log), log);
      const outbox = createOutbox(bus, log);
      const unwatchDrops = whenCollected(metrics, (sources) => sources.auditDrops("key-service", () => outbox.dropped()));
      const deps: KeyServiceDeps = {
        db: pg.db,
        bus,
        events: createKeyEvents(bus, outbox, now),
        settings,
        keyring: createKeyring(config.ENCRYPTION_KEY, config.ENCRYPTION_PREVIOUS_KEYS),
        now,
        log,
      };
      registerKeysCreate(deps);
      registerKeysVerify(deps);
      registerKeysList(deps);
      registerKeysGet(deps);
      registerKeysUpdate(deps);
      registerKeysRotate(deps);
      registerKeysReveal(deps);
      registerKeysRevoke(deps);
      registerKeysDelete(deps);
      registerKeysTouch(deps);
      registerUsersChanged(deps);
      const enforcer = createKeyEnforcer(deps, log.child({ component: "key-enforcer" }));
      enforcer.start(config.KEY_ENFORCER_INTERVAL_MS);
      options.onEnforcer?.(enforcer);
      const health = serviceHealth([natsHealthCheck(bus), postgresHealthCheck(pg)]);
      const announcement = announceInstance(bus, { service: "key-service", process: instanceId, health: health.health });
      return {
        ...health,
        async stop(deadlineMs) {
          announcement.stop();
          unwatchDrops();
          await enforcer.stop();
          settings.stop();
          await outbox.flush(deadlineMs);
          await bus.close(deadlineMs);
          await pg.close(deadlineMs);
        },
      };
    },
  });
}

export const keyService = createKeyService();
