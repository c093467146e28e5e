/** The Redis health check of a service: PING, and the client's connection state. */
import type { Redis } from "ioredis";

export function redisHealthCheck(redis: Redis) {
  return {
    name: "redis",
    async check() {
      if (redis.status !== "ready") throw new Error(`redis connection is ${redis.status}`);
      await redis.ping();
    },
    stats: () => ({ status: redis.status }),
  };
}
