/** Everything an ai-proxy handler needs, built once per process by service.ts. */
import type { Bus, Outbox } from "@thinkwatch/bus";
import type { IntakeLimits, KeyVerifier } from "@thinkwatch/gateway-auth";
import type { Logger } from "@thinkwatch/log";
import type { AdmitDeps } from "./auth/admit.js";
import type { RequestObserver } from "./metrics/request-metrics.js";
import type { ModelCatalog } from "./models/model-catalog.js";
import type { ModelRouter } from "./routing/model-router.js";
import type { RouteCaps } from "./routing/route-caps.js";
import type { RouteSendDeps } from "./upstream/send-with-routes.js";
import type { UpstreamHttp } from "./upstream/upstream-http.js";

export interface GatewayDeps extends AdmitDeps {
  bus: Bus;
  keys: KeyVerifier;
  router: () => ModelRouter;
  upstream: UpstreamHttp;
  /** Retries, fallbacks, breakers and caps around `upstream` (see sendWithRoutes). */
  routing: RouteSendDeps;
  caps: RouteCaps;
  /** Per-key concurrency and the in-flight body budget. */
  intake: IntakeLimits;
  outbox: Outbox;
  log: Logger;
  maxBodyBytes: number;
  /** The upstreams' own model lists for GET /v1/models. */
  modelCatalog: ModelCatalog;
  /** Conversion defaults from the gateway settings (strict mode, forwarding agent metadata as `user`). */
  conversionDefaults: () => {
    strict: boolean;
    forwardMetadataUser: boolean;
    responsesOnlyModels: readonly string[];
    chatReasoningViaResponses: boolean;
  };
  /** Metrics of a finished request (a no-op when metrics are off). */
  observeRequest: RequestObserver;
}
