/** Configuration: valibot schemas over the environment, parsed once at startup, every problem listed. */

export { shannonEntropyPerChar } from "./entropy.js";
export {
  clickhouseEntries,
  DEFAULT_URLS,
  databaseEntries,
  encryptionEntries,
  jwtEntries,
  natsEntries,
  redisEntries,
} from "./env-entries.js";
export * as fields from "./fields.js";
export { ConfigError, type ConfigProblem, parseEnv } from "./parse-env.js";
export { redactUrl } from "./redact-url.js";
