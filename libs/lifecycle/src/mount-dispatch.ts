/**
 * A listener's front door without a second Hono dispatch on the hot path: a request whose path plainly belongs to a
 * mounted app (`/v1/chat/completions` under `/v1/*`) goes to that app's `fetch` directly; anything else — the
 * listener's own routes, HEAD, a pattern this does not understand, no match — goes through the root app as before.
 * The root app would have called the same `fetch` with the same request and env; skipping it saves a context, a
 * router match and a few promises per request.
 */
import type { Hono } from "hono";

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/**
 * One route of the root app, in registration order (the first that matches a request is the one Hono runs): the
 * listener's own routes have no `app`; a mount's routes name the app they hand the request to.
 */
export interface RootRoute {
  path: string;
  app?: { fetch: Fetch };
}

type Matcher = { kind: "exact"; path: string } | { kind: "prefix"; prefix: string } | { kind: "unknown" };

/** Only literal paths and `literal/*` are understood; anything with a parameter or another wildcard is not. */
function matcherOf(pattern: string): Matcher {
  if (pattern.endsWith("/*")) {
    const prefix = pattern.slice(0, -1);
    return /[*:{}?]/.test(prefix) ? { kind: "unknown" } : { kind: "prefix", prefix };
  }
  return /[*:{}?]/.test(pattern) ? { kind: "unknown" } : { kind: "exact", path: pattern };
}

export function createMountDispatch(root: Hono, routes: readonly RootRoute[]): Fetch {
  const table = routes.map((route) => ({ matcher: matcherOf(route.path), app: route.app }));
  return (request, env) => {
    if (request.method === "HEAD") return root.fetch(request, env);
    const path = root.getPath(request, { env });
    for (const { matcher, app } of table) {
      // A route that may match (or cannot be judged here) decides through the root app, which knows its methods.
      if (matcher.kind === "unknown") break;
      if (matcher.kind === "exact") {
        if (matcher.path === path) break;
        continue;
      }
      // `/v1/*` also matches `/v1` itself; only paths below the prefix are taken here.
      if (!path.startsWith(matcher.prefix)) continue;
      if (app === undefined) break;
      return app.fetch(request, env);
    }
    return root.fetch(request, env);
  };
}
