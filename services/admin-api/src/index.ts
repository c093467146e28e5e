export type { Clock } from "./auth/clock.js";
export type { DeclaredRoute, RouteAccess } from "./http/console-router.js";
export { runRotateEncryptionKey } from "./secrets/rotate-command.js";
export { type AdminApiOptions, adminApiService, startAdminApi } from "./service.js";
