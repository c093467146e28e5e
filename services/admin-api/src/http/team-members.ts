/**
 * /api/admin/teams/:id/members: add a user (by id or email) with a team role, change the role, remove. Managers of
 * the team may do this for their team; admins for any. Removal and demotion from manager narrow access: the user's
 * sessions end and UsersChanged is broadcast (team_removed carries the team, so their team keys can stop).
 */
import { AddTeamMemberSchema, UpdateTeamMemberSchema } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";
import { TeamIdParam } from "./teams.js";
import { UserIdParam } from "./users.js";

export function registerTeamMemberRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  const access = { permission: "teams:write", teamParam: "id" } as const;

  const teamOf = async (id: string) => {
    const team = await deps.teams.find(id);
    if (team === null) throw new AppError("not_found", `no team with id ${id}`);
    return team;
  };

  router.route("GET", "/api/admin/teams/:id/members", { permission: "teams:read", teamParam: "id" }, async (c) => {
    const id = validate(TeamIdParam, c.req.param("id"));
    await teamOf(id);
    return c.json({ members: await deps.teams.members(id) });
  });

  router.route("POST", "/api/admin/teams/:id/members", access, { body: AddTeamMemberSchema }, async (c) => {
    const teamId = validate(TeamIdParam, c.req.param("id"));
    const input = await readRouteBody(c, AddTeamMemberSchema);
    const team = await teamOf(teamId);
    const user =
      input.userId !== undefined ? await deps.users.findById(input.userId) : await deps.users.findByEmail(input.email ?? "");
    if (user === null) throw new AppError("not_found", "no such user");
    const before = await deps.teams.setMember(teamId, user.id, input.teamRole);
    if (before === "manager" && input.teamRole === "member") {
      deps.identity.userChanged(user.id, "role_changed");
      await deps.identity.revokeSessions({ userId: user.id, reason: "demoted" });
    } else deps.identity.userChanged(user.id, "updated");
    deps.audit.record({
      category: "admin",
      action: before === null ? "team_member.added" : "team_member.updated",
      actor: requestActor(c),
      target: { kind: "user", id: user.id, name: user.email },
      teamId,
      before: before === null ? null : { teamRole: before },
      after: { team: team.name, teamRole: input.teamRole },
      requestId: c.get("requestId"),
    });
    return c.json({ members: await deps.teams.members(teamId) }, before === null ? 201 : 200);
  });

  router.route("PATCH", "/api/admin/teams/:id/members/:userId", access, { body: UpdateTeamMemberSchema }, async (c) => {
    const teamId = validate(TeamIdParam, c.req.param("id"));
    const userId = validate(UserIdParam, c.req.param("userId"));
    const input = await readRouteBody(c, UpdateTeamMemberSchema);
    await teamOf(teamId);
    const members = await deps.teams.members(teamId);
    if (!members.some((m) => m.userId === userId)) throw new AppError("not_found", `user ${userId} is not a member of this team`);
    const before = await deps.teams.setMember(teamId, userId, input.teamRole);
    if (before === "manager" && input.teamRole === "member") {
      deps.identity.userChanged(userId, "role_changed");
      await deps.identity.revokeSessions({ userId, reason: "demoted" });
    } else deps.identity.userChanged(userId, "updated");
    deps.audit.record({
      category: "admin",
      action: "team_member.updated",
      actor: requestActor(c),
      target: { kind: "user", id: userId, name: null },
      teamId,
      before: { teamRole: before },
      after: { teamRole: input.teamRole },
      requestId: c.get("requestId"),
    });
    return c.json({ members: await deps.teams.members(teamId) });
  });

  router.route("DELETE", "/api/admin/teams/:id/members/:userId", access, async (c) => {
    const teamId = validate(TeamIdParam, c.req.param("id"));
    const userId = validate(UserIdParam, c.req.param("userId"));
    const before = await deps.teams.removeMember(teamId, userId);
    deps.identity.userChanged(userId, "team_removed", teamId);
    const ended = await deps.identity.revokeSessions({ userId, reason: "team_removed" });
    deps.audit.record({
      category: "admin",
      action: "team_member.removed",
      actor: requestActor(c),
      target: { kind: "user", id: userId, name: null },
      teamId,
      before: { teamRole: before },
      details: { sessionsEnded: ended.length },
      requestId: c.get("requestId"),
    });
    return c.body(null, 204);
  });
}
