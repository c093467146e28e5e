/** /api/auth/*: password sign-in, the signed-in user and the console's roles and password rule. */
import * as v from "valibot";

/** The five built-in console roles, highest first. A role may do everything the roles below it may. */
export const ROLES = ["super_admin", "admin", "team_manager", "developer", "viewer"] as const;
export const RoleSchema = v.picklist(ROLES);
export type Role = v.InferOutput<typeof RoleSchema>;

/** The original product's rule: 8+ characters with an uppercase letter, a lowercase letter and a digit. */
export const PasswordSchema = v.pipe(
  v.string("password is required"),
  v.minLength(8, "password must be at least 8 characters"),
  v.maxLength(256, "password must be at most 256 characters"),
  v.regex(/[A-Z]/, "password must contain an uppercase letter"),
  v.regex(/[a-z]/, "password must contain a lowercase letter"),
  v.regex(/[0-9]/, "password must contain a digit"),
);

export const LoginRequestSchema = v.object({
  email: v.pipe(v.string("email is required"), v.trim(), v.toLowerCase(), v.maxLength(320)),
  password: v.pipe(v.string("password is required"), v.maxLength(256)),
});
export type LoginRequest = v.InferInput<typeof LoginRequestSchema>;

export const PublicUserSchema = v.object({
  id: v.string(),
  email: v.string(),
  displayName: v.string(),
  role: RoleSchema,
});
export type PublicUser = v.InferOutput<typeof PublicUserSchema>;

/** What login and setup answer: the user and a short-lived bearer token. */
export const TokenResponseSchema = v.object({
  user: PublicUserSchema,
  accessToken: v.string(),
  /** Seconds until the access token expires. */
  expiresIn: v.number(),
  tokenType: v.literal("Bearer"),
});
export type TokenResponse = v.InferOutput<typeof TokenResponseSchema>;

/** GET /api/auth/me: the user with their effective permissions (the vocabulary is admin-api's auth/permissions.ts). */
export const MeResponseSchema = v.object({
  user: v.object({ ...PublicUserSchema.entries, permissions: v.array(v.string()) }),
});
export type MeResponse = v.InferOutput<typeof MeResponseSchema>;
export type CurrentUser = MeResponse["user"];
