/**
 * Credentials may come inside CLICKHOUSE_URL or as separate settings; this separates them so the client gets each
 * exactly once (it warns when both are present) and error messages show the URL without them.
 */
import { AppError } from "@thinkwatch/errors";

export interface ConnectionTarget {
  /** The URL without user info, safe to print. */
  url: string;
  username: string;
  password: string;
}

export function connectionTarget(rawUrl: string, username?: string, password?: string): ConnectionTarget {
  let parsed: URL;
  try {
    parsed = new URL(rawUrl);
  } catch (caught) {
    throw new AppError("internal", "the ClickHouse URL is not a valid URL", { cause: caught });
  }
  const fromUrl = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  parsed.username = "";
  parsed.password = "";
  return {
    url: parsed.toString(),
    username: username ?? (fromUrl.username || "default"),
    password: password ?? fromUrl.password,
  };
}
