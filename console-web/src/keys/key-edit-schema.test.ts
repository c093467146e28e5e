import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { editSchema, editValuesOf, endOfDay } from "./key-edit-schema";
import type { ApiKey } from "./keys-api";

const KEY = {
  name: "ci",
  surfaces: ["ai_gateway"],
  allowedModels: ["gpt-4o*"],
  allowedMcpTools: null,
  strictConversion: true,
  expiresAt: Date.parse("2031-05-01T12:00:00Z"),
  inactivityTimeoutDays: 30,
  rotationPeriodDays: null,
} as unknown as ApiKey;

describe("the edit-key form", () => {
  it("starts from the key and sends no expiry when the date was left alone", () => {
    const initial = editValuesOf(KEY);
    expect(initial).toMatchObject({
      expiresOn: "2031-05-01",
      allowedModels: "gpt-4o*",
      inactivityTimeoutDays: "30",
      strictConversion: true,
    });
    expect(v.parse(editSchema(initial), initial)).toEqual({
      name: "ci",
      surfaces: ["ai_gateway"],
      allowedModels: ["gpt-4o*"],
      allowedMcpTools: null,
      strictConversion: true,
      inactivityTimeoutDays: 30,
      rotationPeriodDays: null,
    });
  });

  it("sends a changed expiry as the end of that day, and an emptied one as never", () => {
    const initial = editValuesOf(KEY);
    expect(v.parse(editSchema(initial), { ...initial, expiresOn: "2031-06-30" }).expiresAt).toBe(endOfDay("2031-06-30"));
    expect(v.parse(editSchema(initial), { ...initial, expiresOn: "" }).expiresAt).toBeNull();
  });

  it("sends strict conversion turned off", () => {
    const initial = editValuesOf(KEY);
    expect(v.parse(editSchema(initial), { ...initial, strictConversion: false }).strictConversion).toBe(false);
  });

  it("reports every problem by field", () => {
    const initial = editValuesOf(KEY);
    const result = v.safeParse(editSchema(initial), {
      ...initial,
      name: "",
      surfaces: { ai_gateway: false, mcp_gateway: false, console: false },
      rotationPeriodDays: "0",
    });
    expect(result.success ? null : v.flatten(result.issues).nested).toEqual({
      name: ["name is required"],
      surfaces: ["choose at least one gateway"],
      rotationPeriodDays: ["the rotation period must be a whole number of days from 1 to 3650"],
    });
  });
});
