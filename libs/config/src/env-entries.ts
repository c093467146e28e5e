/**
 * The environment variables several services share, as ready-made schema entries, so every service names them the
 * same way and defaults them the same way (defaults point at local servers, as `npm start` brings them up).
 */
import { encryptionKey, jwtSecret, namespace, previousEncryptionKeys, text, url } from "./fields.js";

export const DEFAULT_URLS = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/thinkwatch",
  REDIS_URL: "redis://127.0.0.1:6379",
  NATS_URL: "nats://127.0.0.1:4222",
  CLICKHOUSE_URL: "http://127.0.0.1:8123",
} as const;

export const natsEntries = {
  NATS_URL: url(DEFAULT_URLS.NATS_URL, ["nats", "tls"]),
  /** Prefix for every subject, stream, bucket and Redis key: isolates test runs or co-located installations. */
  THINKWATCH_NAMESPACE: namespace(),
};

export const databaseEntries = {
  DATABASE_URL: url(DEFAULT_URLS.DATABASE_URL, ["postgres", "postgresql"]),
};

export const redisEntries = {
  REDIS_URL: url(DEFAULT_URLS.REDIS_URL, ["redis", "rediss"]),
};

export const clickhouseEntries = {
  CLICKHOUSE_URL: url(DEFAULT_URLS.CLICKHOUSE_URL, ["http", "https"]),
  CLICKHOUSE_DB: text("thinkwatch"),
  CLICKHOUSE_USER: text("default"),
  CLICKHOUSE_PASSWORD: text(""),
};

export const encryptionEntries = {
  ENCRYPTION_KEY: encryptionKey(),
  ENCRYPTION_PREVIOUS_KEYS: previousEncryptionKeys(),
};

export const jwtEntries = {
  JWT_SECRET: jwtSecret(),
};
