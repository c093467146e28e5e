import { describe, expect, it } from "vitest";
import { mergeWindows, quantileOf, RecentWindow, WINDOW_BUCKETS } from "./recent-window.js";

describe("the one-minute window", () => {
  it("counts requests and errors of the last 60 seconds only", () => {
    let now = 1_000_000_000;
    const window = new RecentWindow(() => now);
    window.record(0.02, false);
    window.record(0.3, true);
    now += 30_000;
    window.record(0.02, false);
    expect(window.summary()).toMatchObject({ seconds: 60, requests: 3, errors: 1 });
    now += 31_000; // the first two are now older than a minute
    expect(window.summary()).toMatchObject({ requests: 1, errors: 0 });
    now += 60_000;
    expect(window.summary()).toMatchObject({ requests: 0, errors: 0 });
  });

  it("reuses a slot a minute later without keeping its old counts", () => {
    let now = 5_000;
    const window = new RecentWindow(() => now);
    window.record(1, true);
    now += 60_000; // same slot index, a new second
    window.record(1, false);
    expect(window.summary()).toMatchObject({ requests: 1, errors: 0 });
  });

  it("puts each duration in the first bucket whose bound holds it", () => {
    const window = new RecentWindow(() => 0);
    window.record(0.005, false); // exactly on the first bound
    window.record(0.0051, false);
    window.record(500, false); // beyond the last bound
    const { buckets } = window.summary();
    expect(buckets).toHaveLength(WINDOW_BUCKETS.length + 1);
    expect(buckets[0]).toBe(1);
    expect(buckets[1]).toBe(1);
    expect(buckets[WINDOW_BUCKETS.length]).toBe(1);
  });
});

describe("quantiles", () => {
  it("interpolates inside the bucket like histogram_quantile", () => {
    const window = new RecentWindow(() => 0);
    for (let i = 0; i < 100; i += 1) window.record(0.07, false); // all in (0.05, 0.1]
    expect(quantileOf(window.summary(), 0.5)).toBeCloseTo(0.075, 10);
    expect(quantileOf(window.summary(), 0.99)).toBeCloseTo(0.0995, 10);
  });

  it("answers null without data and the largest bound for the overflow bucket", () => {
    const empty = new RecentWindow(() => 0).summary();
    expect(quantileOf(empty, 0.99)).toBeNull();
    const slow = new RecentWindow(() => 0);
    slow.record(1000, false);
    expect(quantileOf(slow.summary(), 0.99)).toBe(WINDOW_BUCKETS[WINDOW_BUCKETS.length - 1]);
  });

  it("merges instances by adding their counts", () => {
    const a = new RecentWindow(() => 0);
    const b = new RecentWindow(() => 0);
    a.record(0.01, false);
    b.record(2, true);
    b.record(2, false);
    const merged = mergeWindows([a.summary(), b.summary()]);
    expect(merged).toMatchObject({ requests: 3, errors: 1 });
    expect(quantileOf(merged, 0.99)).toBeGreaterThan(1);
  });
});
