import { DEFAULT_SETTINGS, SETTINGS_CATEGORIES } from "@thinkwatch/console-api";
import { describe, expect, it } from "vitest";
import { SETTING_FIELDS, SETTINGS_TABS } from "./settings-fields";

describe("settings fields", () => {
  it("give every setting of every category a field on its tab, and nothing the schema does not have", () => {
    expect(SETTINGS_TABS.map((tab) => tab.id)).toEqual([...SETTINGS_CATEGORIES]);
    for (const category of SETTINGS_CATEGORIES) {
      const shown = SETTING_FIELDS[category].map((field) => field.key).sort();
      expect({ category, keys: shown }).toEqual({ category, keys: Object.keys(DEFAULT_SETTINGS[category]).sort() });
    }
  });
});
