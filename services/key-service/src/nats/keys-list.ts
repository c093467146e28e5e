/** keys.v1.list: keys of one user, or all keys (admin-api decides who may ask). */
import type { Bus } from "@thinkwatch/bus";
import { KeysList } from "@thinkwatch/proto";
import { type KeyStore, publicKeyInfo } from "../keys/key-store.js";

export function registerKeysList(bus: Bus, store: KeyStore): void {
  bus.serve(KeysList, async (request) => {
    const keys = await store.list(request.userId === undefined ? {} : { userId: request.userId });
    return { keys: keys.map(publicKeyInfo) };
  });
}
