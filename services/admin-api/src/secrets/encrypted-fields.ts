/**
 * Every place in PostgreSQL that holds a keyring ciphertext, as data: the one list key rotation walks. A new
 * encrypted column belongs here; the rotation test fails for a secret that rotation leaves under the old key.
 */
import { type SQL, sql } from "drizzle-orm";

export interface EncryptedField {
  /** Names the secret in reports: `<owner> <id> <what>` (never its value). */
  owner: string;
  what: string;
  /** `id` and `ciphertext` of every row holding a value, locked for update. */
  select: SQL;
  update(id: string, ciphertext: string): SQL;
}

/** A text column of ciphertext. Table and column names are constants of this file, never input. */
function column(table: string, name: string, owner: string, what: string): EncryptedField {
  const t = sql.raw(`"${table}"`);
  const c = sql.raw(`"${name}"`);
  return {
    owner,
    what,
    select: sql`select id::text as id, ${c} as ciphertext from ${t} where ${c} is not null order by id for update`,
    update: (id, ciphertext) => sql`update ${t} set ${c} = ${ciphertext} where id::text = ${id}`,
  };
}

/** A string field inside a JSONB column (`where` narrows the rows; `idColumn` identifies them). */
function jsonField(
  table: string,
  idColumn: string,
  name: string,
  field: string,
  owner: string,
  what: string,
  where?: SQL,
): EncryptedField {
  const t = sql.raw(`"${table}"`);
  const id = sql.raw(`"${idColumn}"`);
  const c = sql.raw(`"${name}"`);
  const key = sql.raw(`'${field}'`);
  const path = sql.raw(`'{${field}}'`);
  const narrowed = where === undefined ? sql`` : sql` and ${where}`;
  return {
    owner,
    what,
    select: sql`select ${id}::text as id, ${c}->>${key} as ciphertext from ${t}
      where jsonb_typeof(${c}->${key}) = 'string' and ${c}->>${key} <> ''${narrowed} order by ${id} for update`,
    update: (rowId, ciphertext) =>
      sql`update ${t} set ${c} = jsonb_set(${c}, ${path}, to_jsonb(${ciphertext}::text)) where ${id}::text = ${rowId}`,
  };
}

export const ENCRYPTED_FIELDS: readonly EncryptedField[] = [
  column("providers", "api_key_encrypted", "provider", "API key"),
  column("providers", "secret_headers_encrypted", "provider", "secret headers"),
  column("mcp_servers", "secrets_encrypted", "MCP server", "secret headers/environment"),
  column("mcp_servers", "oauth_client_secret_encrypted", "MCP server", "OAuth client secret"),
  // Owned by key-service; the operator command is the one writer besides it (the sealed successor of a rotated key).
  column("api_keys", "sealed_plaintext", "API key", "sealed successor"),
  jsonField("system_settings", "key", "value", "clientSecretEncrypted", "setting", "OIDC client secret", sql`"key" = 'sso'`),
  jsonField("log_forwarders", "id", "settings", "secretEncrypted", "log forwarder", "webhook secret"),
];
