/** Open a console session for a user who just proved who they are: access token in the body, refresh in a cookie. */
import type { Context } from "hono";
import type { AdminDeps } from "../deps.js";
import { publicUser, type UserRecord } from "../users/user-store.js";
import type { ConsoleEnv } from "./console-router.js";
import { setRefreshCookie } from "./session-cookie.js";

export async function openSession(c: Context<ConsoleEnv>, deps: AdminDeps, user: UserRecord) {
  const auth = deps.liveSettings.current().auth;
  const { session, refreshToken } = await deps.sessions.open({
    userId: user.id,
    ip: c.get("clientIp") ?? null,
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
    ttlSeconds: auth.refreshTokenTtlSeconds,
    now: deps.clock(),
  });
  setRefreshCookie(c, refreshToken, auth.refreshTokenTtlSeconds);
  const token = await deps.tokens.issue({ userId: user.id, sessionId: session.id }, auth.accessTokenTtlSeconds);
  return { user: publicUser(user), ...token, tokenType: "Bearer" as const, sessionId: session.id };
}
