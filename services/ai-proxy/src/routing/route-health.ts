/** routing.v1.health: breaker state and cap usage of routes, for the console's Models page (via admin-api). */
import type { Bus } from "@thinkwatch/bus";
import { RouteHealthQuery } from "@thinkwatch/proto";
import type { CircuitBreakers } from "./circuit-breakers.js";
import type { RouteCaps } from "./route-caps.js";

export function registerRouteHealth(bus: Bus, breakers: CircuitBreakers, caps: RouteCaps): void {
  bus.serve(RouteHealthQuery, async ({ routeIds }) => {
    const [states, usage] = await Promise.all([breakers.snapshot(routeIds), caps.usage(routeIds)]);
    return {
      routes: routeIds.map((routeId) => {
        const breaker = states.get(routeId) ?? { state: "closed" as const, requests: 0, failures: 0, openedAt: null };
        const used = usage.get(routeId) ?? { requests: 0, tokens: 0 };
        return {
          routeId,
          ...breaker,
          requestsThisMinute: used.requests,
          tokensThisMinute: used.tokens,
        };
      }),
    };
  });
}
