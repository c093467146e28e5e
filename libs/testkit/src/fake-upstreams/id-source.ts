/**
 * Deterministic ids for one fake instance (`call_000…01`, `msg_000…02`): the same test produces the same ids,
 * and ids still look like the provider's (prefix + fixed-length alphanumerics).
 */

export interface IdSource {
  next(prefix: string, length?: number): string;
}

export function createIdSource(): IdSource {
  let counter = 0;
  return {
    next(prefix, length = 24) {
      counter += 1;
      return prefix + counter.toString(36).padStart(length, "0");
    },
  };
}
