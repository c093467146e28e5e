/**
 * Console access tokens: short-lived HS256 JWTs naming the user and their session. They carry no authority of their
 * own — the authorizer looks up the user's current state and the session's liveness for every request.
 */
import { AppError } from "@thinkwatch/errors";
import { jwtVerify, SignJWT } from "jose";
import * as v from "valibot";
import { type Clock, systemClock } from "./clock.js";

const ISSUER = "thinkwatch-console";
const AUDIENCE = "thinkwatch-console";

export interface TokenSubject {
  userId: string;
  sessionId: string;
}

const ClaimsSchema = v.object({ sub: v.pipe(v.string(), v.uuid()), sid: v.pipe(v.string(), v.uuid()) });

export interface TokenIssuer {
  issue(subject: TokenSubject, ttlSeconds: number): Promise<{ accessToken: string; expiresIn: number }>;
  verify(token: string): Promise<TokenSubject>;
}

export function createTokenIssuer(secret: string, clock: Clock = systemClock): TokenIssuer {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(subject, ttlSeconds) {
      const nowSeconds = Math.floor(clock() / 1000);
      const accessToken = await new SignJWT({ sid: subject.sessionId })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(subject.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + ttlSeconds)
        .sign(key);
      return { accessToken, expiresIn: ttlSeconds };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ["HS256"],
          currentDate: new Date(clock()),
        });
        const claims = v.parse(ClaimsSchema, payload);
        return { userId: claims.sub, sessionId: claims.sid };
      } catch {
        throw new AppError("unauthenticated", "the access token is missing, invalid or expired; log in again");
      }
    },
  };
}
