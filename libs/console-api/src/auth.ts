/** /api/auth/*: password login, session refresh and logout, the signed-in user's profile, password and sessions. */
import * as v from "valibot";
import { noControlCharacters, UuidText } from "./text.js";

/** The password rule (the original product's): 8+ characters with an uppercase letter, a lowercase letter, a digit. */
export const PasswordSchema = v.pipe(
  v.string("password is required"),
  v.minLength(8, "password must be at least 8 characters"),
  v.maxLength(256, "password must be at most 256 characters"),
  v.regex(/[A-Z]/, "password must contain an uppercase letter"),
  v.regex(/[a-z]/, "password must contain a lowercase letter"),
  v.regex(/[0-9]/, "password must contain a digit"),
  v.check((text) => !text.includes("\0"), "password must not contain NUL characters"),
);

export const LoginSchema = v.object({
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
export type LoginInput = v.InferInput<typeof LoginSchema>;

export const TokenResponseSchema = v.object({
  accessToken: v.string(),
  expiresIn: v.number(),
  tokenType: v.literal("Bearer"),
  user: v.object({ id: v.string(), email: v.string(), displayName: v.string(), role: v.string() }),
});
export type TokenResponse = v.InferOutput<typeof TokenResponseSchema>;

export const ChangePasswordSchema = v.object({
  currentPassword: v.pipe(v.string("currentPassword is required"), v.maxLength(256)),
  newPassword: PasswordSchema,
});
export type ChangePasswordInput = v.InferInput<typeof ChangePasswordSchema>;

export const AcceptInviteSchema = v.object({
  token: v.pipe(v.string("token is required"), v.regex(/^[A-Za-z0-9_-]{20,100}$/, "token is malformed")),
  password: PasswordSchema,
});

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
