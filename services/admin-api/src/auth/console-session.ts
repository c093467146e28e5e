/**
 * The one place a console session starts after an identity is proven (SSO; password login and setup open theirs the
 * same way): a refresh-token session bound to the client, its cookie, and a short-lived access token.
 */
import type { Context } from "hono";
import type { AdminDeps } from "../deps.js";
import type { ConsoleEnv } from "../http/console-router.js";
import { openSession } from "../http/session-response.js";
import type { UserRecord } from "../users/user-store.js";

export interface ConsoleSession {
  accessToken: string;
  expiresIn: number;
}

export async function startConsoleSession(c: Context<ConsoleEnv>, deps: AdminDeps, user: UserRecord): Promise<ConsoleSession> {
  return openSession(c, deps, user);
}
