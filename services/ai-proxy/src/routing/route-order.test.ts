import { describe, expect, it } from "vitest";
import type { ResolvedProvider, Route } from "./model-router.js";
import { orderRoutes } from "./route-order.js";

const provider = { id: "p", name: "p", kind: "openai" } as ResolvedProvider;
const route = (id: string, weight: number, priority: number): Route => ({
  id,
  provider,
  model: "m",
  upstreamModel: "m",
  weight,
  priority,
  rpmLimit: null,
  tpmLimit: null,
});

/** A deterministic pseudo-random sequence (mulberry32) so the split is reproducible. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("orderRoutes", () => {
  it("puts every route of a better priority before any of a worse one", () => {
    const routes = [route("a", 1, 0), route("b", 100, 0), route("c", 1000, 1)];
    for (let i = 0; i < 50; i++) {
      const ids = orderRoutes(routes).map((r) => r.id);
      expect(ids[2]).toBe("c");
      expect(new Set(ids)).toEqual(new Set(["a", "b", "c"]));
    }
  });

  it("picks first in proportion to weight", () => {
    const random = seeded(42);
    const routes = [route("a", 1, 0), route("b", 2, 0), route("c", 7, 0)];
    const first = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++) first[orderRoutes(routes, random)[0]?.id as keyof typeof first] += 1;
    expect(first.a).toBeGreaterThan(850);
    expect(first.a).toBeLessThan(1150);
    expect(first.b).toBeGreaterThan(1800);
    expect(first.b).toBeLessThan(2200);
    expect(first.c).toBeGreaterThan(6700);
    expect(first.c).toBeLessThan(7300);
  });

  it("keeps weight-0 routes as the last resort of their group", () => {
    expect(orderRoutes([route("zero", 0, 0), route("one", 1, 0), route("later", 1, 1)]).map((r) => r.id)).toEqual([
      "one",
      "zero",
      "later",
    ]);
  });
});
