/**
 * Every page of the signed-in console, in sidebar order: ONE entry per page. The shell builds both the sidebar and
 * the routes from this list; an entry is shown (and its route opens) only for users holding its `permission`
 * (admin-api's vocabulary in services/admin-api/src/auth/permissions.ts; null = any signed-in user).
 *
 * To add a page: create `src/<area>/<area>-page.tsx` exporting the page component, then add one entry here in the
 * section where it belongs (overview: overview, health; gateway: providers, keys, limits; mcp: servers, tool catalog; logs: log explorer,
 * log forwarders; administration: users, teams, roles, settings; health). The route is `path` plus everything
 * under it (`/users/123` reaches the Users page), so a page may hold its own nested <Routes>.
 * Icons: https://lucide.dev/icons (import from "lucide-react").
 */
import {
  Gauge,
  HeartPulse,
  KeyRound,
  LayoutDashboard,
  type LucideIcon,
  Plug,
  Route,
  ScrollText,
  Send,
  Server,
  Settings,
  ShieldCheck,
  UserCircle,
  Users,
  UsersRound,
  Wrench,
} from "lucide-react";
import { type LazyPage, lazyPage } from "./lazy-page";
import type { NavSectionId } from "./nav-sections";

export interface NavItem {
  label: string;
  /** Absolute, without a trailing slash; "/" only for the overview. */
  path: string;
  /** The permission needed to see and open the page; null: any signed-in user. */
  permission: string | null;
  icon: LucideIcon;
  section: NavSectionId;
  page: LazyPage;
}

export const NAV_ITEMS: readonly NavItem[] = [
  {
    section: "overview",
    label: "Overview",
    path: "/",
    permission: null,
    icon: LayoutDashboard,
    page: lazyPage(() => import("../overview/overview-page").then((m) => m.OverviewPage)),
  },
  {
    section: "overview",
    label: "Health",
    path: "/health",
    permission: "health:read",
    icon: HeartPulse,
    page: lazyPage(() => import("../health/health-page").then((m) => m.HealthPage)),
  },
  {
    section: "gateway",
    label: "Providers & Models",
    path: "/providers",
    permission: "providers:read",
    icon: Server,
    page: lazyPage(() => import("../providers/providers-page").then((m) => m.ProvidersPage)),
  },
  {
    section: "gateway",
    label: "Models",
    path: "/models",
    permission: "models:read",
    icon: Route,
    page: lazyPage(() => import("../models/models-page").then((m) => m.ModelsPage)),
  },
  {
    section: "gateway",
    label: "API Keys",
    path: "/keys",
    permission: "api_keys:read",
    icon: KeyRound,
    page: lazyPage(() => import("../keys/keys-page").then((m) => m.KeysPage)),
  },
  {
    section: "gateway",
    label: "Limits",
    path: "/limits",
    permission: "limits:read",
    icon: Gauge,
    page: lazyPage(() => import("../limits/limits-page").then((m) => m.LimitsPage)),
  },
  {
    section: "mcp",
    label: "MCP servers",
    path: "/mcp/servers",
    permission: "mcp_servers:read",
    icon: Plug,
    page: lazyPage(() => import("../mcp/mcp-servers-page").then((m) => m.McpServersPage)),
  },
  {
    section: "mcp",
    label: "Tool catalog",
    path: "/mcp/tools",
    permission: "mcp_tools:read",
    icon: Wrench,
    page: lazyPage(() => import("../mcp/tool-catalog-page").then((m) => m.ToolCatalogPage)),
  },
  {
    section: "administration",
    label: "Users",
    path: "/users",
    permission: "users:read",
    icon: Users,
    page: lazyPage(() => import("../users/users-page").then((m) => m.UsersPage)),
  },
  {
    section: "administration",
    label: "Teams",
    path: "/teams",
    permission: "teams:read",
    icon: UsersRound,
    page: lazyPage(() => import("../teams/teams-page").then((m) => m.TeamsPage)),
  },
  {
    section: "administration",
    label: "Roles",
    path: "/roles",
    permission: "roles:read",
    icon: ShieldCheck,
    page: lazyPage(() => import("../roles/roles-page").then((m) => m.RolesPage)),
  },
  {
    section: "administration",
    label: "Settings",
    path: "/settings",
    permission: "settings:read",
    icon: Settings,
    page: lazyPage(() => import("../settings/settings-page").then((m) => m.SettingsPage)),
  },
  {
    section: "logs",
    label: "Log Explorer",
    path: "/logs",
    permission: "logs:read",
    icon: ScrollText,
    page: lazyPage(() => import("../logs/log-explorer-page").then((m) => m.LogExplorerPage)),
  },
  {
    section: "logs",
    label: "Log Forwarders",
    path: "/log-forwarders",
    permission: "log_forwarders:read",
    icon: Send,
    page: lazyPage(() => import("../log-forwarders/log-forwarders-page").then((m) => m.LogForwardersPage)),
  },
  {
    section: "health",
    label: "Profile",
    path: "/profile",
    permission: null,
    icon: UserCircle,
    page: lazyPage(() => import("../profile/profile-page").then((m) => m.ProfilePage)),
  },
];
