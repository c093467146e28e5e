/** /api/admin/users: create (with a password or as an invitation), list, read, update, deactivate, delete. */
import * as v from "valibot";
import { PasswordSchema, RoleSchema } from "./auth.js";
import { EmailText, NameText, noControlCharacters, UuidText } from "./text.js";

export const UserSchema = v.object({
  id: v.string(),
  email: v.string(),
  displayName: v.string(),
  role: RoleSchema,
  active: v.boolean(),
  hasPassword: v.boolean(),
  createdAt: v.string(),
});
export type User = v.InferOutput<typeof UserSchema>;

/** Give a password, or leave it out to get an invitation link with which the user sets one. */
export const CreateUserSchema = v.object({
  email: EmailText,
  displayName: v.optional(NameText("displayName")),
  role: RoleSchema,
  password: v.optional(PasswordSchema),
});
export type CreateUserInput = v.InferInput<typeof CreateUserSchema>;

export const UpdateUserSchema = v.pipe(
  v.object({
    displayName: v.optional(NameText("displayName")),
    role: v.optional(RoleSchema),
    active: v.optional(v.boolean("active must be true or false")),
  }),
  v.check((patch) => Object.values(patch).some((value) => value !== undefined), "give at least one of displayName, role, active"),
);
export type UpdateUserInput = v.InferInput<typeof UpdateUserSchema>;

export const UserListQuerySchema = v.object({
  search: v.optional(
    v.pipe(v.string(), v.trim(), v.maxLength(200, "search must be at most 200 characters"), noControlCharacters("search")),
  ),
  page: v.optional(v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,5}$/, "page must be a positive integer"), v.transform(Number)), "1"),
  pageSize: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[1-9][0-9]{0,2}$/, "pageSize must be 1 to 200"),
      v.transform(Number),
      v.maxValue(200, "pageSize must be 1 to 200"),
    ),
    "50",
  ),
});

export const UserListSchema = v.object({ users: v.array(UserSchema), total: v.number(), page: v.number(), pageSize: v.number() });
export type UserList = v.InferOutput<typeof UserListSchema>;

export const InviteSchema = v.object({ token: v.string(), url: v.string(), expiresAt: v.string() });
export type Invite = v.InferOutput<typeof InviteSchema>;

export const AssignRoleSchema = v.object({
  roleId: NameText("roleId", 100),
  /** Absent or null: the role applies everywhere; a team id: only within that team. */
  teamId: v.optional(v.nullable(UuidText("teamId"))),
});
export type AssignRoleInput = v.InferInput<typeof AssignRoleSchema>;

export const RoleAssignmentSchema = v.object({
  id: v.string(),
  userId: v.string(),
  roleId: v.string(),
  roleName: v.string(),
  teamId: v.nullable(v.string()),
});
export type RoleAssignment = v.InferOutput<typeof RoleAssignmentSchema>;
