/** Service lifecycle: the one shape of a service, dependency checks, shared listeners, ordered graceful shutdown. */

export { checkDependencies, type DependencyProblem } from "./dependencies.js";
export { type Fleet, type FleetOptions, StartupError, startFleet } from "./fleet.js";
export type { ReadinessReport } from "./listeners.js";
export { type Acquired, createResourcePool, type ResourcePool } from "./resource-pool.js";
export { runMain } from "./run-main.js";
export type { DependencyProbe, HttpMount, Listener, RunningService, ServiceContext, ServiceDefinition } from "./service.js";
export { defineService } from "./service.js";
export { type CheckResult, type HealthCheck, runCheck, type ServiceHealth, serviceHealth } from "./service-health.js";
export { createShutdown, type Shutdown } from "./shutdown.js";
