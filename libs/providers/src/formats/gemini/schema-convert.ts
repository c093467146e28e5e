/**
 * Gemini's `parameters` / `responseSchema` use the OpenAPI 3.0 subset (upper-case type names, `nullable`); the
 * other formats use JSON Schema. This converts the former into the latter; the reverse is never needed because
 * the Gemini encoder sends JSON Schema through `parametersJsonSchema` / `responseJsonSchema`.
 */
const NESTED_ONE = ["items", "additionalProperties", "not"] as const;
const NESTED_LIST = ["anyOf", "oneOf", "allOf", "prefixItems"] as const;

export function openApiToJsonSchema(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const input = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === "nullable" || key === "propertyOrdering") continue;
    if (key === "type" && typeof value === "string") out.type = value.toLowerCase();
    else if (key === "properties" && typeof value === "object" && value !== null) {
      const props: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(value)) props[name] = openApiToJsonSchema(prop);
      out.properties = props;
    } else if ((NESTED_ONE as readonly string[]).includes(key)) out[key] = openApiToJsonSchema(value);
    else if ((NESTED_LIST as readonly string[]).includes(key) && Array.isArray(value)) out[key] = value.map(openApiToJsonSchema);
    else out[key] = value;
  }
  if (input.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  return out;
}
