import { describe, expect, it } from "vitest";
import { checkResolver, nestFieldErrors } from "./check-resolver";

describe("nestFieldErrors", () => {
  it("nests dotted paths, including array indexes, as react-hook-form reads them", () => {
    expect(nestFieldErrors({ name: "required", "settings.region": "needed", "models.0.model": "empty" })).toEqual({
      name: { type: "validate", message: "required" },
      settings: { region: { type: "validate", message: "needed" } },
      models: { 0: { model: { type: "validate", message: "empty" } } },
    });
  });
});

describe("checkResolver", () => {
  const resolver = checkResolver(
    (values: { a: string }): Record<string, string> => (values.a === "" ? { a: "a is required" } : {}),
  );
  const call = (values: { a: string }) =>
    resolver(values, undefined, { fields: {}, shouldUseNativeValidation: undefined, names: undefined, criteriaMode: undefined });

  it("passes valid values through", async () => {
    expect(await call({ a: "x" })).toEqual({ values: { a: "x" }, errors: {} });
  });

  it("returns the check's messages as field errors", async () => {
    expect(await call({ a: "" })).toEqual({ values: {}, errors: { a: { type: "validate", message: "a is required" } } });
  });
});
