/** The model names clients can call right now: active models of active providers, each name once. */
import type { Provider } from "./providers-api";

export function routedModelNames(providers: readonly Provider[]): string[] {
  const names = providers.filter((p) => p.isActive).flatMap((p) => p.models.filter((m) => m.isActive).map((m) => m.model));
  return [...new Set(names)];
}
