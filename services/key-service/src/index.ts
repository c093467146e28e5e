export type { EnforcerReport, KeyEnforcer } from "./enforcer/key-enforcer.js";
export { createKeyService, type KeyServiceOptions, keyService } from "./service.js";
