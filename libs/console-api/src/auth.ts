/**
 * /api/auth/*: password sign-in, session refresh and logout, the signed-in user, their password and sessions, and
 * the console's roles and password rule.
 */
import * as v from "valibot";
import { noControlCharacters, UuidText } from "./text.js";

/** The five built-in console roles, highest first. A role may do everything the roles below it may. */
export const ROLES = ["super_admin", "admin", "team_manager", "developer", "viewer"] as const;
export const RoleSchema = v.picklist(ROLES, `role must be one of ${ROLES.join(", ")}`);
export type Role = v.InferOutput<typeof RoleSchema>;

/** The original product's rule: 8+ characters with an uppercase letter, a lowercase letter and a digit. */
export const PasswordSchema = v.pipe(
  v.string("password is required"),
  v.minLength(8, "password must be at least 8 characters"),
  v.maxLength(256, "password must be at most 256 characters"),
  v.regex(/[A-Z]/, "password must contain an uppercase letter"),
  v.regex(/[a-z]/, "password must contain a lowercase letter"),
  v.regex(/[0-9]/, "password must contain a digit"),
  v.check((text) => !text.includes("\0"), "password must not contain NUL characters"),
);

export const LoginRequestSchema = v.object({
  email: v.pipe(
    v.string("email is required"),
    v.trim(),
    v.toLowerCase(),
    v.maxLength(320, "email must be at most 320 characters"),
    noControlCharacters("email"),
  ),
  password: v.pipe(
    v.string("password is required"),
    v.maxLength(256, "password must be at most 256 characters"),
    v.check((text) => !text.includes("\0"), "password must not contain NUL characters"),
  ),
});
export type LoginRequest = v.InferInput<typeof LoginRequestSchema>;

export const PublicUserSchema = v.object({
  id: v.string(),
  email: v.string(),
  displayName: v.string(),
  role: RoleSchema,
});
export type PublicUser = v.InferOutput<typeof PublicUserSchema>;

/** What login, setup and refresh answer: the user and a short-lived bearer token (the refresh token is a cookie). */
export const TokenResponseSchema = v.object({
  user: PublicUserSchema,
  accessToken: v.string(),
  /** Seconds until the access token expires. */
  expiresIn: v.number(),
  tokenType: v.literal("Bearer"),
  /** The console session the token belongs to. */
  sessionId: v.optional(v.string()),
});
export type TokenResponse = v.InferOutput<typeof TokenResponseSchema>;

/** GET /api/auth/me: the user with their effective permissions (the vocabulary is admin-api's auth/permissions.ts). */
export const MeResponseSchema = v.object({
  user: v.object({
    ...PublicUserSchema.entries,
    permissions: v.array(v.string()),
    /** Teams the user belongs to or holds a team-scoped role in, with what they may do there. */
    teams: v.optional(
      v.array(v.object({ teamId: v.string(), teamRole: v.nullable(v.string()), permissions: v.array(v.string()) })),
    ),
    sessionId: v.optional(v.string()),
  }),
});
export type MeResponse = v.InferOutput<typeof MeResponseSchema>;
export type CurrentUser = MeResponse["user"];

export const ChangePasswordSchema = v.object({
  currentPassword: v.pipe(v.string("currentPassword is required"), v.maxLength(256)),
  newPassword: PasswordSchema,
});
export type ChangePasswordInput = v.InferInput<typeof ChangePasswordSchema>;

export const AcceptInviteSchema = v.object({
  token: v.pipe(v.string("token is required"), v.regex(/^[A-Za-z0-9_-]{20,100}$/, "token is malformed")),
  password: PasswordSchema,
});
export type AcceptInviteInput = v.InferInput<typeof AcceptInviteSchema>;

export const SessionSchema = v.object({
  id: v.string(),
  ip: v.nullable(v.string()),
  userAgent: v.nullable(v.string()),
  createdAt: v.string(),
  lastUsedAt: v.string(),
  expiresAt: v.string(),
  current: v.boolean(),
});
export type Session = v.InferOutput<typeof SessionSchema>;

export const SessionIdSchema = UuidText("session id");
