/**
 * Identity changes other services must react to at once: a deactivated, deleted or demoted user loses console access
 * (admin-api's authorization cache) and their keys stop working at the gateway (key-service); a user removed from a
 * team loses that team's keys. Core NATS broadcast: every replica of every interested service receives it.
 */
import * as v from "valibot";
import { eventContract } from "./contract.js";

const Uuid = v.pipe(v.string(), v.uuid());

export const UserChangeSchema = v.picklist(["deactivated", "reactivated", "deleted", "role_changed", "team_removed", "updated"]);
export type UserChange = v.InferOutput<typeof UserChangeSchema>;

export const UsersChanged = eventContract(
  "identity.v1.users.changed",
  v.object({
    userId: Uuid,
    change: UserChangeSchema,
    /** For `team_removed`: the team the user left. */
    teamId: v.optional(Uuid),
  }),
);
