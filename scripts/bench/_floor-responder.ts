/**
 * The quota benchmark's floor, a process of its own: what any quota service on this machine must do per check at
 * the least — receive a NATS request, make one Redis script call, answer — with no rules, no validation and no
 * logic. Its latency is what the machine (cores, scheduler, loopback, NATS, Redis) costs before quota's own code.
 * `--subject S` to serve; prints `{"port":0}` once subscribed (the shared process starter waits for that line).
 */
import { parseArgs } from "node:util";
import { connect } from "@nats-io/transport-node";
import { Redis } from "ioredis";

const { values } = parseArgs({
  options: { subject: { type: "string" }, nats: { type: "string" }, redis: { type: "string" } },
});
const nc = await connect({ servers: values.nats ?? "127.0.0.1:4222" });
const redis = new Redis(values.redis ?? "redis://127.0.0.1:6379");
const key = `bench:floor:${process.pid}`;
// One atomic script call, as quota makes one per check: increment a counter and read its time to live.
const script = "local n = redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], 60) return n";
const sha = (await redis.script("LOAD", script)) as string;
const answer = new TextEncoder().encode('{"allowed":true}');
nc.subscribe(values.subject as string, {
  callback: (error, msg) => {
    if (error !== null) return;
    redis.evalsha(sha, 1, key).then(
      () => msg.respond(answer),
      () => msg.respond(answer),
    );
  },
});
await nc.flush();
console.log(JSON.stringify({ port: 0 }));
const stop = async () => {
  await nc.drain();
  redis.disconnect();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
