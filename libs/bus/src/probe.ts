/** Startup probe for NATS: connect, and confirm JetStream is enabled (the AUDIT stream and config KV need it). */

import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { redactUrl } from "@thinkwatch/config";

export async function probeNats(url: string): Promise<void> {
  const nc = await connect({ servers: url, timeout: 3000, maxReconnectAttempts: 0 });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 3000 }).catch((cause: unknown) => {
      throw new Error(`JetStream is not enabled on this server (start nats-server with -js): ${(cause as Error).message}`);
    });
    await jsm.getAccountInfo();
  } finally {
    await nc.close();
  }
}

export function natsDependency(url: string) {
  return {
    variable: "NATS_URL",
    describe: `NATS at ${redactUrl(url)}`,
    remedy: "Start nats-server with JetStream (-js) or point NATS_URL at a running one.",
    check: () => probeNats(url),
  };
}
