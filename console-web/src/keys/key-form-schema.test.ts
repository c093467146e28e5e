import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { emptyKeyForm, KeyFormSchema, type KeyFormValues, parseModelList } from "./key-form-schema";

function form(patch: Partial<KeyFormValues>): KeyFormValues {
  return { ...emptyKeyForm(), name: "ci", ...patch };
}

/** The schema's result as the form sees it: the request, or the message per field. */
function parse(values: KeyFormValues) {
  const result = v.safeParse(KeyFormSchema, values);
  return result.success ? { ok: true, request: result.output } : { ok: false, fields: v.flatten(result.issues).nested };
}

describe("parseModelList", () => {
  it.each([
    ["", []],
    ["gpt-4o", ["gpt-4o"]],
    [" a, b ,,c\nd  a ", ["a", "b", "c", "d"]],
  ])("%j → %j", (text, expected) => {
    expect(parseModelList(text)).toEqual(expected);
  });
});

describe("KeyFormSchema", () => {
  it("defaults to both gateways, every model and no expiry", () => {
    expect(parse(form({ name: "  ci  " }))).toEqual({
      ok: true,
      request: { name: "ci", surfaces: ["ai_gateway", "mcp_gateway"], allowedModels: null },
    });
  });

  it("sends the allow-list and expiry", () => {
    const values = form({
      surfaces: { ai_gateway: true, mcp_gateway: false, console: false },
      allowedModels: "a, b",
      expiresInDays: " 30 ",
    });
    expect(parse(values)).toEqual({
      ok: true,
      request: { name: "ci", surfaces: ["ai_gateway"], allowedModels: ["a", "b"], expiresInDays: 30 },
    });
  });

  it("asks for strict conversion only when ticked", () => {
    expect(parse(form({ name: "ci", strictConversion: true }))).toMatchObject({ ok: true, request: { strictConversion: true } });
    expect(parse(form({ name: "ci" }))).not.toHaveProperty("request.strictConversion");
  });

  it("reports every problem the form can see, by field", () => {
    const values = form({ name: " ", surfaces: { ai_gateway: false, mcp_gateway: false, console: false }, expiresInDays: "1.5" });
    expect(parse(values)).toEqual({
      ok: false,
      fields: {
        name: ["name is required"],
        surfaces: ["choose at least one gateway"],
        expiresInDays: ["expiry must be a whole number of days from 1 to 3650"],
      },
    });
  });

  it.each(["0", "3651", "-1", "1e3", "abc"])("rejects an expiry of %j days", (days) => {
    expect(parse(form({ expiresInDays: days })).ok).toBe(false);
  });
});
