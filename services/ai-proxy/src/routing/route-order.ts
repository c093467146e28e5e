/**
 * The order in which one request tries a model's routes: priority groups best first; inside a group, a weighted
 * random order (the first pick is proportional to weight, then the next among the rest, …), so traffic splits by
 * weight and a failing pick falls back to the others of its group before a worse priority is used. Routes of
 * weight 0 are kept as last resort of their group.
 */
import type { Route } from "./model-router.js";

export function orderRoutes(routes: readonly Route[], random: () => number = Math.random): Route[] {
  const ordered: Route[] = [];
  let start = 0;
  while (start < routes.length) {
    const priority = (routes[start] as Route).priority;
    let end = start;
    while (end < routes.length && (routes[end] as Route).priority === priority) end++;
    ordered.push(...weightedShuffle(routes.slice(start, end), random));
    start = end;
  }
  return ordered;
}

function weightedShuffle(group: Route[], random: () => number): Route[] {
  if (group.length === 1) return group;
  const pool = group.filter((r) => r.weight > 0);
  const zero = group.filter((r) => r.weight <= 0);
  const out: Route[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, r) => sum + r.weight, 0);
    let pick = random() * total;
    let index = 0;
    for (; index < pool.length - 1; index++) {
      pick -= (pool[index] as Route).weight;
      if (pick < 0) break;
    }
    out.push(...pool.splice(index, 1));
  }
  return [...out, ...zero];
}
