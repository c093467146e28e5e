/** The NATS health check of a service: connected, one round trip timed, the connection's message counters. */
import type { Bus } from "./bus.js";

export function natsHealthCheck(bus: Bus) {
  return {
    name: "nats",
    async check() {
      if (!bus.isConnected()) throw new Error("not connected to NATS");
      await bus.nc.rtt();
    },
    stats: () => {
      const stats = bus.nc.stats();
      return {
        server: bus.nc.info?.server_name ?? null,
        version: bus.nc.info?.version ?? null,
        inMsgs: stats.inMsgs,
        outMsgs: stats.outMsgs,
        inFlight: bus.inFlight(),
      };
    },
  };
}
