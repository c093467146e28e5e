/**
 * The one place a console session starts after an identity is proven (SSO today; the refresh-token sessions of the
 * identity work replace the body of this function, so every login path gets them at once).
 */
import type { Context } from "hono";
import type { AdminDeps } from "../deps.js";
import type { ConsoleEnv } from "../http/console-router.js";
import type { UserRecord } from "../users/user-store.js";

export interface ConsoleSession {
  accessToken: string;
  expiresIn: number;
}

export async function startConsoleSession(
  _c: Context<ConsoleEnv>,
  deps: Pick<AdminDeps, "tokens">,
  user: UserRecord,
): Promise<ConsoleSession> {
  return deps.tokens.issue({ id: user.id, email: user.email, role: user.role });
}
