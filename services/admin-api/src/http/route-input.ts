/**
 * How console handlers read their input: the JSON body and the query string, validated against the schema the route
 * declared in its spec. Reading one the route did not declare is a programming error (the OpenAPI document, built
 * from the specs, would leave it out), so it fails loudly in every test that reaches the route.
 */
import { readValidatedJson, validate } from "@thinkwatch/http";
import type { Context } from "hono";
import { routePath } from "hono/route";
import type * as v from "valibot";
import type { ConsoleEnv, RouteSpec } from "./console-router.js";

function declared(c: Context<ConsoleEnv>, part: keyof Pick<RouteSpec, "body" | "query">): void {
  if (c.get("routeSpec")?.[part] === undefined) {
    throw new Error(`${c.req.method} ${routePath(c, -1)} reads a ${part} its route spec does not declare`);
  }
}

/** The request's JSON body, validated; the route must declare a body schema. */
export async function readRouteBody<S extends v.GenericSchema>(c: Context<ConsoleEnv>, schema: S): Promise<v.InferOutput<S>> {
  declared(c, "body");
  return readValidatedJson(c, schema);
}

/** Query parameters, validated; the route must declare a query schema. */
export function readRouteQuery<S extends v.GenericSchema>(
  c: Context<ConsoleEnv>,
  schema: S,
  query: unknown = c.req.query(),
): v.InferOutput<S> {
  declared(c, "query");
  return validate(schema, query);
}
