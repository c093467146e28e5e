/** admin-api configuration: its database, Redis (login lockout), the bus, the secrets it signs and encrypts with. */
import { resolve } from "node:path";
import {
  clickhouseEntries,
  databaseEntries,
  encryptionEntries,
  fields,
  jwtEntries,
  natsEntries,
  redisEntries,
} from "@thinkwatch/config";
import * as v from "valibot";

export const AdminApiConfigSchema = v.object({
  ...natsEntries,
  ...databaseEntries,
  ...redisEntries,
  ...jwtEntries,
  ...encryptionEntries,
  /** The log explorer reads ClickHouse (read-only; audit-ingest owns the schema). */
  ...clickhouseEntries,
  /** Comma-separated browser origins allowed to call the console API cross-origin (empty: same origin only). */
  CORS_ORIGINS: fields.text(""),
  /** The console's public origin (OAuth redirect URIs are built from it); empty: the origin of the request. */
  PUBLIC_URL: fields.text(""),
  /** The built console SPA; the default is console-web/dist in this repository (bundle or source layout alike). */
  CONSOLE_WEB_DIR: fields.text(resolve(import.meta.dirname, "../../../console-web/dist")),
});
export type AdminApiConfig = v.InferOutput<typeof AdminApiConfigSchema>;
