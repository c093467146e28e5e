export { runRotateEncryptionKey } from "./secrets/rotate-command.js";
export { adminApiService } from "./service.js";
