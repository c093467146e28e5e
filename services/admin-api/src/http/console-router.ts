/**
 * The console API's route table. Every route is declared with the access it needs — "public", "authenticated", one
 * permission, or one permission within the team named by a path parameter — so authorization is enforced in one
 * place and the table can be enumerated (the RBAC matrix test generates its cases from it; a route without a
 * declaration cannot exist). Routes live on a typed sub-app whose handlers read the caller as `c.get("user")` and
 * the resolved client address as `c.get("clientIp")`.
 */
import { AppError } from "@thinkwatch/errors";
import type { AppEnv } from "@thinkwatch/http";
import { type Context, type Handler, Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { Authorizer } from "../auth/authorizer.js";
import type { Permission } from "../auth/permissions.js";
import { canInTeam, holdsAnywhere, type Principal } from "../auth/principal.js";

export interface ConsoleEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { user: Principal; clientIp: string | null; routeSpec: RouteSpec };
}

/** A permission that applies within one team: the team id is the route's path parameter `teamParam`. */
export interface TeamScopedAccess {
  permission: Permission;
  teamParam: string;
}

export type RouteAccess = "public" | "authenticated" | Permission | TeamScopedAccess;
export type RouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * What a route accepts and answers, as the valibot schemas its handler validates with; the OpenAPI document is
 * generated from these. A handler reads its body and query through route-input.ts, which refuses to read one the
 * route did not declare, so the document cannot leave out what a route accepts.
 */
export interface RouteSpec {
  summary?: string;
  body?: v.GenericSchema;
  query?: v.GenericSchema;
  response?: v.GenericSchema;
  /** Status of the success answer (default 200). */
  status?: number;
}

export interface DeclaredRoute {
  method: RouteMethod;
  /** Hono path syntax, e.g. `/api/keys/:id/rotate`. */
  path: string;
  access: RouteAccess;
  spec: RouteSpec;
}

export interface ConsoleRouter {
  /** The sub-app holding every declared route; mount it on the console app. */
  readonly app: Hono<ConsoleEnv>;
  route(method: RouteMethod, path: string, access: RouteAccess, handler: Handler<ConsoleEnv>, spec?: RouteSpec): void;
  /** The same, the spec first (reads better when the handler is long). */
  route(method: RouteMethod, path: string, access: RouteAccess, spec: RouteSpec, handler: Handler<ConsoleEnv>): void;
  routes(): readonly DeclaredRoute[];
}

export interface ConsoleRouterOptions {
  /** The client's address (trusted-proxy aware); defaults to none. */
  clientAddress?: (c: Context) => string | null;
}

const TeamIdSchema = v.pipe(v.string(), v.uuid());

export function createConsoleRouter(authorizer: Authorizer, options: ConsoleRouterOptions = {}): ConsoleRouter {
  const app = new Hono<ConsoleEnv>();
  const declared: DeclaredRoute[] = [];
  const clientAddress = options.clientAddress ?? (() => null);

  const guard =
    (access: RouteAccess, spec: RouteSpec): MiddlewareHandler<ConsoleEnv> =>
    async (c, next) => {
      c.set("routeSpec", spec);
      const clientIp = clientAddress(c);
      c.set("clientIp", clientIp);
      if (access !== "public") {
        const user = await authorizer.authenticate(c, clientIp);
        c.set("user", user);
        if (typeof access === "object") {
          const teamId = c.req.param(access.teamParam) ?? "";
          if (!holdsAnywhere(user, access.permission))
            throw new AppError("forbidden", `this needs the ${access.permission} permission`);
          if (!v.is(TeamIdSchema, teamId)) throw new AppError("validation_failed", "team id must be a UUID");
          if (!canInTeam(user, access.permission, teamId)) {
            throw new AppError("forbidden", `this needs the ${access.permission} permission in this team`);
          }
        } else if (access !== "authenticated" && !holdsAnywhere(user, access)) {
          throw new AppError("forbidden", `this needs the ${access} permission`);
        }
      }
      await next();
    };

  return {
    app,
    route(
      method: RouteMethod,
      path: string,
      access: RouteAccess,
      handlerOrSpec: Handler<ConsoleEnv> | RouteSpec,
      specOrHandler?: RouteSpec | Handler<ConsoleEnv>,
    ) {
      const [handler, spec] =
        typeof handlerOrSpec === "function"
          ? [handlerOrSpec, (specOrHandler as RouteSpec | undefined) ?? {}]
          : [specOrHandler as Handler<ConsoleEnv>, handlerOrSpec];
      if (declared.some((route) => route.method === method && route.path === path)) {
        throw new Error(`console route ${method} ${path} is declared twice`);
      }
      if (typeof access === "object" && !path.includes(`:${access.teamParam}`)) {
        throw new Error(`console route ${method} ${path} is scoped to team parameter :${access.teamParam}, which it lacks`);
      }
      declared.push({ method, path, access, spec });
      app.on(method, path, guard(access, spec), handler);
    },
    routes: () => declared,
  };
}
