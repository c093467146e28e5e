/**
 * /api/openapi.json: the OpenAPI 3.1 document of the console API, generated from the route table — each route's
 * method, path, access and the valibot schemas its handler validates with (converted by @valibot/to-json-schema),
 * so the document cannot drift from what the API enforces.
 */
import { ConsoleErrorBodySchema } from "@thinkwatch/console-api";
import { type ConversionConfig, toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import type { ConsoleRouter, DeclaredRoute } from "./console-router.js";

type JsonObject = Record<string, unknown>;

const convert = (schema: v.GenericSchema, typeMode: ConversionConfig["typeMode"]): JsonObject => {
  const { $schema: _dialect, ...rest } = toJsonSchema(schema, {
    target: "draft-2020-12",
    typeMode,
    errorMode: "ignore",
  }) as JsonObject;
  return rest;
};

const ERROR_STATUSES: Record<string, string> = {
  "400": "invalid request (validation_failed / bad_request)",
  "401": "not authenticated",
  "403": "not allowed",
  "404": "not found",
  "409": "conflict",
  "413": "request body too large",
};

function operation(route: DeclaredRoute): JsonObject {
  const params = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const query = route.spec.query === undefined ? undefined : convert(route.spec.query, "input");
  const queryParams = Object.entries((query?.properties as Record<string, JsonObject> | undefined) ?? {}).map(
    ([name, schema]) => ({
      name,
      in: "query",
      required: ((query?.required as string[] | undefined) ?? []).includes(name),
      schema,
    }),
  );
  const errors = Object.fromEntries(
    Object.entries(ERROR_STATUSES)
      .filter(([status]) => route.access !== "public" || (status !== "401" && status !== "403"))
      .map(([status, description]) => [
        status,
        { description, content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } } },
      ]),
  );
  const success = String(route.spec.status ?? 200);
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[/:{}-]+(\w)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`,
    ...(route.spec.summary === undefined ? {} : { summary: route.spec.summary }),
    "x-access": route.access,
    ...(route.access === "public" ? { security: [] } : {}),
    ...(params.length + queryParams.length > 0 ? { parameters: [...params, ...queryParams] } : {}),
    ...(route.spec.body === undefined
      ? {}
      : { requestBody: { required: true, content: { "application/json": { schema: convert(route.spec.body, "input") } } } }),
    responses: {
      [success]: {
        description: "success",
        ...(route.spec.response === undefined
          ? {}
          : { content: { "application/json": { schema: convert(route.spec.response, "output") } } }),
      },
      ...errors,
    },
  };
}

export function buildOpenApiDocument(routes: readonly DeclaredRoute[]): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: "3.1.0",
    info: { title: "ThinkWatch console API", version: "1" },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { ErrorBody: convert(ConsoleErrorBodySchema, "output") },
    },
  };
}

/** Register last: the document covers every route declared before it (and itself). */
export function registerOpenApiRoute(router: ConsoleRouter): void {
  let document: JsonObject | null = null;
  router.route("GET", "/api/openapi.json", "public", (c) => {
    document ??= buildOpenApiDocument(router.routes());
    return c.json(document);
  });
}
