/** The sidebar's groups, in display order. A group with no entry the user may open is not shown. */
export const NAV_SECTIONS = [
  { id: "overview", label: null },
  { id: "gateway", label: "Gateway" },
  { id: "mcp", label: "MCP" },
  { id: "logs", label: "Logs" },
  { id: "administration", label: "Administration" },
  { id: "health", label: null },
] as const;

export type NavSectionId = (typeof NAV_SECTIONS)[number]["id"];
