/**
 * Who an SSO login is: the local user already linked to the IdP subject; else, when the email belongs to a local
 * user, that user — only if linking by verified email is on and the IdP says the email is verified (otherwise an
 * IdP account could take over a local one by claiming its address); else a new user provisioned just in time with
 * the role its groups map to, or `auth.ssoDefaultRole`.
 */
import { AppError } from "@thinkwatch/errors";
import * as v from "valibot";
import { ROLES, type Role, RoleSchema } from "../auth/roles.js";
import type { UserRecord, UserStore } from "../users/user-store.js";
import type { IdentityStore } from "./identity-store.js";
import type { StoredSsoConfig } from "./sso-config-store.js";

export const OidcClaimsSchema = v.object({
  sub: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  email: v.optional(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(320), v.email())),
  email_verified: v.optional(v.unknown()),
  name: v.optional(v.pipe(v.string(), v.maxLength(200))),
  preferred_username: v.optional(v.pipe(v.string(), v.maxLength(200))),
});
export type OidcClaims = v.InferOutput<typeof OidcClaimsSchema>;

export interface SsoLoginPolicy {
  defaultRole: string;
  linkByVerifiedEmail: boolean;
}

export interface SsoLoginResult {
  user: UserRecord;
  how: "linked_identity" | "linked_by_email" | "provisioned";
}

/** The highest role any of the user's groups maps to, else the default. */
export function roleFromGroups(config: StoredSsoConfig, raw: Record<string, unknown>, defaultRole: string): Role {
  const claim = config.groupsClaim === null ? undefined : raw[config.groupsClaim];
  const groups = Array.isArray(claim)
    ? claim.filter((g): g is string => typeof g === "string")
    : typeof claim === "string"
      ? [claim]
      : [];
  const mapped = groups
    .map((group) => config.groupRoles[group])
    .filter((role): role is Role => v.is(RoleSchema, role))
    .sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
  return mapped[0] ?? (v.is(RoleSchema, defaultRole) ? defaultRole : "viewer");
}

export async function resolveSsoUser(
  stores: { users: UserStore; identities: IdentityStore },
  config: StoredSsoConfig,
  policy: SsoLoginPolicy,
  raw: Record<string, unknown>,
): Promise<SsoLoginResult> {
  const parsed = v.safeParse(OidcClaimsSchema, raw);
  if (!parsed.success)
    throw new AppError("unauthenticated", "the identity provider returned an unusable identity (sub or email)");
  const claims = parsed.output;
  const linkedId = await stores.identities.findUserId(config.issuer, claims.sub);
  if (linkedId !== null) {
    const user = await stores.users.findById(linkedId);
    if (user === null || !user.isActive) throw new AppError("unauthenticated", "this account is deactivated");
    return { user, how: "linked_identity" };
  }
  if (claims.email === undefined) throw new AppError("unauthenticated", "the identity provider did not return an email address");
  const existing = await stores.users.findByEmail(claims.email);
  if (existing !== null) {
    const verified = claims.email_verified === true || claims.email_verified === "true";
    if (!policy.linkByVerifiedEmail || !verified) {
      throw new AppError(
        "conflict",
        "a local account already uses this email; an administrator must enable linking by verified email (auth.ssoLinkByVerifiedEmail)",
      );
    }
    if (!existing.isActive) throw new AppError("unauthenticated", "this account is deactivated");
    await stores.identities.link(config.issuer, claims.sub, existing.id);
    return { user: existing, how: "linked_by_email" };
  }
  const user = await stores.users.create({
    email: claims.email,
    displayName: claims.name ?? claims.preferred_username ?? claims.email,
    role: roleFromGroups(config, raw, policy.defaultRole),
    passwordHash: null,
  });
  await stores.identities.link(config.issuer, claims.sub, user.id);
  return { user, how: "provisioned" };
}
