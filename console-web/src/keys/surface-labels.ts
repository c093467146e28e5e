/** How the page names each surface a key can open. */
import type { Surface } from "./keys-api";

export const SURFACE_LABELS: Record<Surface, string> = {
  ai_gateway: "AI gateway (/v1 model APIs)",
  mcp_gateway: "MCP gateway (/mcp tools)",
  console: "Console API",
};

export const SURFACE_SHORT: Record<Surface, string> = { ai_gateway: "AI", mcp_gateway: "MCP", console: "Console" };
