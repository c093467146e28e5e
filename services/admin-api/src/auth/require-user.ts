/** Console auth middleware: a valid bearer access token, and optionally a minimum role. */
import { AppError } from "@thinkwatch/errors";
import type { AppEnv } from "@thinkwatch/http";
import type { MiddlewareHandler } from "hono";
import type { Role } from "./roles.js";
import { roleAtLeast } from "./roles.js";
import type { SessionUser, TokenIssuer } from "./tokens.js";

export interface ConsoleEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { user: SessionUser };
}

export function requireUser(tokens: TokenIssuer, minimum: Role = "viewer"): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (match?.[1] === undefined)
      throw new AppError("unauthenticated", "log in first: send Authorization: Bearer <access token>");
    const user = await tokens.verify(match[1]);
    if (!roleAtLeast(user.role, minimum)) throw new AppError("forbidden", `this needs the ${minimum} role or higher`);
    c.set("user", user);
    await next();
  };
}
