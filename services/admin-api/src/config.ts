/** admin-api configuration: its database, the bus, the secrets it signs and encrypts with. */
import { resolve } from "node:path";
import { databaseEntries, encryptionEntries, fields, jwtEntries, natsEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const AdminApiConfigSchema = v.object({
  ...natsEntries,
  ...databaseEntries,
  ...jwtEntries,
  ...encryptionEntries,
  /** Lifetime of a console access token. */
  ACCESS_TOKEN_TTL_SECONDS: fields.positiveInt(900),
  /** Comma-separated browser origins allowed to call the console API cross-origin (empty: same origin only). */
  CORS_ORIGINS: fields.text(""),
  /** The console's public origin (OAuth redirect URIs are built from it); empty: the origin of the request. */
  PUBLIC_URL: fields.text(""),
  /** The built console SPA; the default is console-web/dist in this repository (bundle or source layout alike). */
  CONSOLE_WEB_DIR: fields.text(resolve(import.meta.dirname, "../../../console-web/dist")),
});
export type AdminApiConfig = v.InferOutput<typeof AdminApiConfigSchema>;
