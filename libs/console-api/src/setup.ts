/** /api/setup/*: whether ThinkWatch is set up, and the one-time creation of the first super admin. */
import * as v from "valibot";
import { PasswordSchema } from "./auth.js";

export const SetupStatusSchema = v.object({ initialized: v.boolean(), needsSetup: v.boolean() });
export type SetupStatus = v.InferOutput<typeof SetupStatusSchema>;

export const InitializeRequestSchema = v.object({
  admin: v.object({
    email: v.pipe(v.string("email is required"), v.trim(), v.toLowerCase(), v.email("email must be an email address")),
    password: PasswordSchema,
    displayName: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
  }),
  siteName: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
});
export type InitializeRequest = v.InferInput<typeof InitializeRequestSchema>;
