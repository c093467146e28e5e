/** Console access tokens: short-lived HS256 JWTs carrying the user id and role. */
import { AppError } from "@thinkwatch/errors";
import { jwtVerify, SignJWT } from "jose";
import * as v from "valibot";
import { type Role, RoleSchema } from "./roles.js";

const ISSUER = "thinkwatch-console";
const AUDIENCE = "thinkwatch-console";

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

const ClaimsSchema = v.object({ sub: v.string(), email: v.string(), role: RoleSchema });

export interface TokenIssuer {
  issue(user: SessionUser): Promise<{ accessToken: string; expiresIn: number }>;
  verify(token: string): Promise<SessionUser>;
}

export function createTokenIssuer(secret: string, ttlSeconds: number): TokenIssuer {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(user) {
      const accessToken = await new SignJWT({ email: user.email, role: user.role })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
      return { accessToken, expiresIn: ttlSeconds };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
        const claims = v.parse(ClaimsSchema, payload);
        return { id: claims.sub, email: claims.email, role: claims.role };
      } catch {
        throw new AppError("unauthenticated", "the access token is missing, invalid or expired; log in again");
      }
    },
  };
}
