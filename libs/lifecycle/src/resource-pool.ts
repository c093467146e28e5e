/**
 * Per-process shared resources: services running in one process (all-in-one mode) can share a connection by key.
 * Reference-counted: the resource closes when the last service that acquired it releases it.
 */
export interface Acquired<T> {
  value: T;
  release(): Promise<void>;
}

export interface ResourcePool {
  acquire<T>(key: string, open: () => Promise<T>, close: (value: T) => Promise<void>): Promise<Acquired<T>>;
}

export function createResourcePool(): ResourcePool {
  const entries = new Map<string, { value: Promise<unknown>; refs: number; close: (value: unknown) => Promise<void> }>();
  return {
    async acquire<T>(key: string, open: () => Promise<T>, close: (value: T) => Promise<void>): Promise<Acquired<T>> {
      let entry = entries.get(key);
      if (entry === undefined) {
        const value = open();
        entry = { value, refs: 0, close: close as (value: unknown) => Promise<void> };
        entries.set(key, entry);
        value.catch(() => entries.delete(key));
      }
      entry.refs += 1;
      const held = entry;
      const value = (await held.value) as T;
      let released = false;
      return {
        value,
        async release() {
          if (released) return;
          released = true;
          held.refs -= 1;
          if (held.refs === 0) {
            entries.delete(key);
            await held.close(value);
          }
        },
      };
    },
  };
}
