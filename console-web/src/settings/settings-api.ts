/** /api/admin/settings and /api/admin/sso: system settings by category and the SSO configuration. */
import type {
  Settings,
  SettingsCategory,
  SettingsResponse,
  SsoConfigInput,
  SsoConfigView,
  SsoDiscovery,
  SsoStatus,
} from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type {
  Settings,
  SettingsCategory,
  SsoConfigInput,
  SsoConfigView,
  SsoDiscovery,
  SsoStatus,
} from "@thinkwatch/console-api";

export async function getSettings(api: ApiClient): Promise<Settings> {
  return (await api.get<SettingsResponse>("/api/admin/settings")).settings;
}

export async function patchSettings(
  api: ApiClient,
  category: SettingsCategory,
  changes: Record<string, unknown>,
): Promise<Settings> {
  return (await api.patch<SettingsResponse>(`/api/admin/settings/${category}`, changes)).settings;
}

export async function getSso(api: ApiClient): Promise<SsoConfigView> {
  return (await api.get<{ sso: SsoConfigView }>("/api/admin/sso")).sso;
}

export async function saveSso(api: ApiClient, body: SsoConfigInput): Promise<SsoConfigView> {
  return (await api.put<{ sso: SsoConfigView }>("/api/admin/sso", body)).sso;
}

export async function testSso(api: ApiClient, body: SsoConfigInput): Promise<SsoDiscovery> {
  return (await api.post<{ ok: true; discovered: SsoDiscovery }>("/api/admin/sso/test", body)).discovered;
}

export function getSsoStatus(api: ApiClient): Promise<SsoStatus> {
  return api.get<SsoStatus>("/api/auth/sso/status");
}
