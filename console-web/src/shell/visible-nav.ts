/** The sidebar as one user sees it: the entries they hold the permission for, grouped by section in order. */

import type { NavItem } from "./nav-items";
import { NAV_SECTIONS } from "./nav-sections";

export interface VisibleSection {
  id: string;
  label: string | null;
  items: NavItem[];
}

export function visibleNav(items: readonly NavItem[], permissions: readonly string[]): VisibleSection[] {
  const granted = new Set(permissions);
  const allowed = items.filter((item) => item.permission === null || granted.has(item.permission));
  return NAV_SECTIONS.map((section) => ({
    id: section.id,
    label: section.label,
    items: allowed.filter((item) => item.section === section.id),
  })).filter((section) => section.items.length > 0);
}

/** The entry whose page shows `pathname` (the longest matching path), for the top bar's title. */
export function navItemFor(items: readonly NavItem[], pathname: string): NavItem | undefined {
  return items
    .filter((item) => (item.path === "/" ? pathname === "/" : pathname === item.path || pathname.startsWith(`${item.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}
