/**
 * The console API's route table. Every route is declared with the access it needs — "public", "authenticated" or
 * one permission — so authorization is enforced in one place and the table can be enumerated (the RBAC matrix test
 * generates its cases from it; a route without a declaration cannot exist). Routes live on a typed sub-app whose
 * handlers can read the caller as `c.get("user")`.
 */
import { AppError } from "@thinkwatch/errors";
import type { AppEnv } from "@thinkwatch/http";
import { type Handler, Hono, type MiddlewareHandler } from "hono";
import type * as v from "valibot";
import type { Authorizer, Principal } from "../auth/authorizer.js";
import type { Permission } from "../auth/permissions.js";

export interface ConsoleEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { user: Principal };
}

export type RouteAccess = "public" | "authenticated" | Permission;
export type RouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * What a route accepts and answers, as the valibot schemas its handler validates with; the OpenAPI document is
 * generated from these (routes without them are documented by path, method and access only).
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
  routes(): readonly DeclaredRoute[];
}

export function createConsoleRouter(authorizer: Authorizer): ConsoleRouter {
  const app = new Hono<ConsoleEnv>();
  const declared: DeclaredRoute[] = [];

  const guard =
    (access: RouteAccess): MiddlewareHandler<ConsoleEnv> =>
    async (c, next) => {
      if (access !== "public") {
        const user = await authorizer.authenticate(c);
        if (access !== "authenticated" && !user.permissions.has(access)) {
          throw new AppError("forbidden", `this needs the ${access} permission`);
        }
        c.set("user", user);
      }
      await next();
    };

  return {
    app,
    route(method, path, access, handler, spec = {}) {
      if (declared.some((route) => route.method === method && route.path === path)) {
        throw new Error(`console route ${method} ${path} is declared twice`);
      }
      declared.push({ method, path, access, spec });
      app.on(method, path, guard(access), handler);
    },
    routes: () => declared,
  };
}
