import { Circle } from "lucide-react";
import { describe, expect, it } from "vitest";
import { lazyPage } from "./lazy-page";
import type { NavItem } from "./nav-items";
import { navItemFor, visibleNav } from "./visible-nav";

const page = lazyPage(async () => () => null);
const item = (label: string, path: string, section: NavItem["section"], permission: string | null): NavItem => ({
  label,
  path,
  section,
  permission,
  icon: Circle,
  page,
});

const items = [
  item("Overview", "/", "overview", null),
  item("Users", "/users", "administration", "users:read"),
  item("Keys", "/keys", "gateway", "api_keys:read"),
  item("Health", "/health", "health", "health:read"),
  item("Providers", "/providers", "gateway", "providers:read"),
];

describe("visibleNav", () => {
  it("keeps the entries the user may open, grouped in section order and list order within a section", () => {
    const nav = visibleNav(items, ["api_keys:read", "providers:read", "health:read"]);
    expect(nav.map((s) => [s.id, s.label, s.items.map((i) => i.label)])).toEqual([
      ["overview", null, ["Overview"]],
      ["gateway", "Gateway", ["Keys", "Providers"]],
      ["health", null, ["Health"]],
    ]);
  });

  it("drops sections left empty", () => {
    expect(visibleNav(items, []).map((s) => s.id)).toEqual(["overview"]);
  });
});

describe("navItemFor", () => {
  it.each([
    ["/", "Overview"],
    ["/keys", "Keys"],
    ["/users/42/edit", "Users"],
    ["/keysmith", undefined],
  ])("%s → %s", (pathname, label) => {
    expect(navItemFor(items, pathname)?.label).toBe(label);
  });
});
