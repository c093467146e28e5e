/**
 * Identity changes other services must react to at once: a deactivated, deleted or demoted user loses console access
 * (admin-api's authorization cache) and their keys stop working at the gateway (key-service) — a demoted user's only
 * when they no longer hold a role that allows API keys; a user removed from a team loses that team's keys. Core NATS broadcast: every replica of every interested service receives it.
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
    /**
     * For `deactivated`, `reactivated` and `role_changed`: whether the user may hold gateway keys after the change
     * (active, and granted `api_keys:write` globally or in a team). key-service suspends the user's keys when false
     * and lifts the suspension when true. Absent (older senders): deactivation suspends, reactivation restores.
     */
    keysAllowed: v.optional(v.boolean()),
  }),
);

/**
 * Console sessions ended (logout, "revoke all", an admin revoking a user's sessions, refresh-token reuse): every
 * admin-api replica drops its cached session state of that user so their access tokens stop working at once.
 */
export const SessionsRevoked = eventContract(
  "identity.v1.sessions.revoked",
  v.object({
    userId: Uuid,
    /** The sessions ended; absent: every session of the user. */
    sessionIds: v.optional(v.array(Uuid)),
  }),
);
