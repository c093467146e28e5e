/** A page module loaded on first visit, so each area's code stays out of the initial bundle. */
import { type ComponentType, type LazyExoticComponent, lazy } from "react";

export type LazyPage = LazyExoticComponent<ComponentType>;

/** `lazyPage(() => import("../keys/keys-page").then((m) => m.KeysPage))` — pages keep named exports. */
export function lazyPage(load: () => Promise<ComponentType>): LazyPage {
  return lazy(async () => ({ default: await load() }));
}
