/**
 * The `config` KV bucket: admin-api puts compiled read-models, every replica of every service watches the keys it
 * needs. Values are validated on the way in and on the way out.
 */

import { type KV, Kvm } from "@nats-io/kv";
import type { Logger } from "@thinkwatch/log";
import { KV_BUCKETS } from "@thinkwatch/proto";
import * as v from "valibot";
import type { Bus } from "./bus.js";
import { decodeJson, encodeJson } from "./codec.js";

export interface ConfigKey<S extends v.GenericSchema> {
  key: string;
  schema: S;
}

export interface ConfigStore {
  put<S extends v.GenericSchema>(entry: ConfigKey<S>, value: v.InferOutput<S>): Promise<void>;
  get<S extends v.GenericSchema>(entry: ConfigKey<S>): Promise<v.InferOutput<S> | null>;
  /**
   * Call `onValue` with the current value (if any) and every later one. Resolves once the current value was
   * delivered, so a service can be "ready" only after it has its configuration.
   */
  watch<S extends v.GenericSchema>(entry: ConfigKey<S>, onValue: (value: v.InferOutput<S>) => void): Promise<{ stop(): void }>;
}

export async function openConfigStore(bus: Bus, log: Logger): Promise<ConfigStore> {
  const kvm = new Kvm(bus.nc);
  const kv: KV = await kvm.create(bus.bucketName(KV_BUCKETS.config), { history: 5 });

  return {
    async put(entry, value) {
      await kv.put(entry.key, encodeJson(v.parse(entry.schema, value)));
    },
    async get(entry) {
      const found = await kv.get(entry.key);
      if (found === null || found.operation !== "PUT") return null;
      return v.parse(entry.schema, decodeJson(found.value));
    },
    async watch(entry, onValue) {
      let lastRevision = 0;
      let stopped = false;
      function deliver(data: Uint8Array, revision: number): void {
        if (revision <= lastRevision) return;
        lastRevision = revision;
        const parsed = v.safeParse(entry.schema, safeJson(data));
        if (!parsed.success) {
          log.error({ key: entry.key, revision }, "ignoring a config value outside its schema");
          return;
        }
        onValue(parsed.output);
      }
      // The watch starts before the current value is read, so a put between the two is not lost; a value seen both
      // ways is delivered once (by revision).
      const iterator = await kv.watch({ key: entry.key, include: "updates" });
      let initial: Awaited<ReturnType<KV["get"]>>;
      try {
        initial = await kv.get(entry.key);
      } catch (caught) {
        iterator.stop();
        throw caught;
      }
      if (initial !== null && initial.operation === "PUT") deliver(initial.value, initial.revision);
      void (async () => {
        for await (const change of iterator) {
          if (change.operation === "PUT") deliver(change.value, change.revision);
        }
      })().then(
        () => {
          if (!stopped) log.error({ key: entry.key }, "config watch ended; later changes to this key are not seen");
        },
        (caught: unknown) => log.error({ err: caught, key: entry.key }, "config watch failed; later changes are not seen"),
      );
      return {
        stop: () => {
          stopped = true;
          iterator.stop();
        },
      };
    },
  };
}

function safeJson(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
