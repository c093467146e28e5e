/** key-service: owns api_keys; serves keys.v1.* over NATS; broadcasts key changes to the edges. */
import { connectServiceBus, natsDependency } from "@thinkwatch/bus";
import { createDb, postgresDependency } from "@thinkwatch/db";
import { defineService } from "@thinkwatch/lifecycle";
import { KeyServiceConfigSchema } from "./config.js";
import { createPostgresKeyStore } from "./keys/key-store.js";
import { registerKeysCreate } from "./nats/keys-create.js";
import { registerKeysList } from "./nats/keys-list.js";
import { registerKeysRevoke } from "./nats/keys-revoke.js";
import { registerKeysVerify } from "./nats/keys-verify.js";

export const keyService = defineService({
  name: "key-service",
  config: KeyServiceConfigSchema,
  dependencies: (config) => [postgresDependency(config.DATABASE_URL), natsDependency(config.NATS_URL)],
  async start(config, { log, instanceId, resources }) {
    const pg = createDb({ url: config.DATABASE_URL, name: "key-service" });
    const bus = await connectServiceBus(resources, {
      url: config.NATS_URL,
      namespace: config.THINKWATCH_NAMESPACE,
      name: `thinkwatch-${instanceId}`,
      log,
    });
    const store = createPostgresKeyStore(pg.db);
    registerKeysCreate(bus, store);
    registerKeysVerify(bus, store);
    registerKeysList(bus, store);
    registerKeysRevoke(bus, store);
    return {
      ready: async () => {
        if (!bus.isConnected()) return false;
        await pg.sql`select 1`;
        return true;
      },
      async stop(deadlineMs) {
        await bus.close(deadlineMs);
        await pg.close(deadlineMs);
      },
    };
  },
});
