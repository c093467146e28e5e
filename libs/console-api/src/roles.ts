/** /api/admin/roles: the built-in tiers (read-only) and custom roles over the same permission vocabulary. */
import * as v from "valibot";
import { FreeText, NameText } from "./text.js";

/** `<area>:<verb>`; admin-api checks each against its vocabulary (GET /api/admin/permissions lists it). */
export const PermissionNameSchema = v.pipe(
  v.string(),
  v.maxLength(100),
  v.regex(/^[a-z_]+:[a-z_]+$/, "a permission looks like area:verb"),
);

export const RoleDefinitionSchema = v.object({
  id: v.string(),
  name: v.string(),
  description: v.string(),
  builtIn: v.boolean(),
  permissions: v.array(v.string()),
});
export type RoleDefinition = v.InferOutput<typeof RoleDefinitionSchema>;

export const CreateRoleSchema = v.object({
  name: NameText("name", 100),
  description: v.optional(FreeText("description"), ""),
  permissions: v.pipe(v.array(PermissionNameSchema, "permissions must be a list"), v.maxLength(200)),
});
export type CreateRoleInput = v.InferInput<typeof CreateRoleSchema>;

export const UpdateRoleSchema = v.object({
  name: v.optional(NameText("name", 100)),
  description: v.optional(FreeText("description")),
  permissions: v.optional(v.pipe(v.array(PermissionNameSchema, "permissions must be a list"), v.maxLength(200))),
});
