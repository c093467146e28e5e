/**
 * Who is calling the console API and what they may do. The token authorizer trusts the access token's claims; the
 * identity issue replaces it with one that reads the user's current state (cached, invalidated over NATS), so a
 * deactivated or demoted user loses access at once. Routes only ever see a Principal.
 */
import { AppError } from "@thinkwatch/errors";
import type { Context } from "hono";
import { type Permission, permissionsOfRole } from "./permissions.js";
import type { Role } from "./roles.js";
import type { TokenIssuer } from "./tokens.js";

export interface Principal {
  id: string;
  email: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
}

export interface Authorizer {
  /** The caller of this request, or an `unauthenticated` AppError. */
  authenticate(c: Context): Promise<Principal>;
}

export function bearerToken(c: Context): string {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (match?.[1] === undefined) throw new AppError("unauthenticated", "log in first: send Authorization: Bearer <access token>");
  return match[1];
}

export function createTokenAuthorizer(tokens: TokenIssuer): Authorizer {
  return {
    async authenticate(c) {
      const user = await tokens.verify(bearerToken(c));
      return { ...user, permissions: permissionsOfRole(user.role) };
    },
  };
}
