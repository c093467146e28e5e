/** A clock tests move by hand, for code that takes a `() => number` time source (token and lockout expiry). */
export interface FakeClock {
  (): number;
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function createFakeClock(startMs = Date.now()): FakeClock {
  let now = startMs;
  return Object.assign(() => now, {
    advance(ms: number) {
      now += ms;
    },
    set(epochMs: number) {
      now = epochMs;
    },
  });
}
