/**
 * ai-proxy's own readiness condition: once setup is done, at least one usable provider (active, its secrets
 * readable), so Kubernetes never sends AI traffic to a replica with an empty routing table. Before setup the gateway
 * is ready: nothing could be served anyway, and the probe must not hold the rollout of a fresh installation.
 */
import type { RoutingHolder } from "./routing-watch.js";

export function routingReadiness(routing: RoutingHolder): () => string | null {
  return () => {
    if (!routing.setupComplete()) return null;
    const router = routing.current();
    if (router.providerCount() > 0) return null;
    const degraded = router.degradedProviders().length;
    return degraded > 0
      ? `no usable provider: ${degraded} provider(s) cannot decrypt their secrets`
      : "no usable provider: add and activate a provider in the console";
  };
}
