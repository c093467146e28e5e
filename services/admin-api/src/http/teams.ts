/**
 * /api/admin/teams: list (filtered server-side: a team manager sees their own teams), create and delete (admins:
 * teams:write_all), read and rename (within the team). Deleting a team removes its members from it, which is
 * broadcast per member (UsersChanged team_removed) so their team-scoped access ends at once.
 */
import { CreateTeamSchema, UpdateTeamSchema, UuidText } from "@thinkwatch/console-api";
import { AppError } from "@thinkwatch/errors";
import { validate } from "@thinkwatch/http";
import { teamsWhere } from "../auth/principal.js";
import type { AdminDeps } from "../deps.js";
import type { ConsoleRouter } from "./console-router.js";
import { requestActor } from "./request-actor.js";
import { readRouteBody } from "./route-input.js";

export const TeamIdParam = UuidText("team id");

export function registerTeamRoutes(router: ConsoleRouter, deps: AdminDeps): void {
  router.route("GET", "/api/admin/teams", "teams:read", async (c) => {
    return c.json({ teams: await deps.teams.list(teamsWhere(c.get("user"), "teams:read")) });
  });

  router.route("POST", "/api/admin/teams", "teams:write_all", { body: CreateTeamSchema }, async (c) => {
    const input = await readRouteBody(c, CreateTeamSchema);
    const team = await deps.teams.create(input);
    deps.audit.record({
      category: "admin",
      action: "team.created",
      actor: requestActor(c),
      target: { kind: "team", id: team.id, name: team.name },
      teamId: team.id,
      after: team,
      requestId: c.get("requestId"),
    });
    return c.json({ team }, 201);
  });

  router.route("GET", "/api/admin/teams/:id", { permission: "teams:read", teamParam: "id" }, async (c) => {
    const id = validate(TeamIdParam, c.req.param("id"));
    const team = await deps.teams.find(id);
    if (team === null) throw new AppError("not_found", `no team with id ${id}`);
    return c.json({ team, members: await deps.teams.members(id) });
  });

  router.route(
    "PATCH",
    "/api/admin/teams/:id",
    { permission: "teams:write", teamParam: "id" },
    { body: UpdateTeamSchema },
    async (c) => {
      const id = validate(TeamIdParam, c.req.param("id"));
      const patch = await readRouteBody(c, UpdateTeamSchema);
      const { before, after } = await deps.teams.update(id, {
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
      });
      deps.audit.record({
        category: "admin",
        action: "team.updated",
        actor: requestActor(c),
        target: { kind: "team", id, name: after.name },
        teamId: id,
        before,
        after,
        requestId: c.get("requestId"),
      });
      return c.json({ team: after });
    },
  );

  router.route("DELETE", "/api/admin/teams/:id", "teams:write_all", async (c) => {
    const id = validate(TeamIdParam, c.req.param("id"));
    const { team, memberIds } = await deps.teams.delete(id);
    for (const userId of memberIds) {
      deps.identity.userChanged(userId, "team_removed", id);
      await deps.identity.revokeSessions({ userId, reason: "team_removed" });
    }
    deps.audit.record({
      category: "admin",
      action: "team.deleted",
      actor: requestActor(c),
      target: { kind: "team", id, name: team.name },
      teamId: id,
      before: team,
      details: { membersRemoved: memberIds.length },
      requestId: c.get("requestId"),
    });
    return c.body(null, 204);
  });
}
