/** /api/admin/teams: teams, their members and team roles. */
import * as v from "valibot";
import { EmailText, FreeText, NameText, UuidText } from "./text.js";

export const TeamRoleSchema = v.picklist(["manager", "member"], "teamRole must be manager or member");

export const TeamSchema = v.object({
  id: v.string(),
  name: v.string(),
  description: v.string(),
  memberCount: v.number(),
  createdAt: v.string(),
});
export type Team = v.InferOutput<typeof TeamSchema>;

export const TeamMemberSchema = v.object({
  userId: v.string(),
  email: v.string(),
  displayName: v.string(),
  teamRole: TeamRoleSchema,
  addedAt: v.string(),
});
export type TeamMember = v.InferOutput<typeof TeamMemberSchema>;

export const CreateTeamSchema = v.object({ name: NameText("name"), description: v.optional(FreeText("description"), "") });
export type CreateTeamInput = v.InferInput<typeof CreateTeamSchema>;

export const UpdateTeamSchema = v.object({
  name: v.optional(NameText("name")),
  description: v.optional(FreeText("description")),
});

/** Add a member by user id or by email. */
export const AddTeamMemberSchema = v.pipe(
  v.object({
    userId: v.optional(UuidText("userId")),
    email: v.optional(EmailText),
    teamRole: v.optional(TeamRoleSchema, "member"),
  }),
  v.check((input) => (input.userId === undefined) !== (input.email === undefined), "give exactly one of userId and email"),
);
export type AddTeamMemberInput = v.InferInput<typeof AddTeamMemberSchema>;

export const UpdateTeamMemberSchema = v.object({ teamRole: TeamRoleSchema });
