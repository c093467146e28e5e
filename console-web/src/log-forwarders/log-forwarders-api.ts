/** /api/admin/log-forwarders: the SIEM channels, their Test button and their delivery stats. */
import type { LogForwarderStats, LogForwarderTestResult, LogForwarderView } from "@thinkwatch/console-api";
import type { ApiClient } from "../api/api-client";

export type { LogForwarderStats, LogForwarderTestResult, LogForwarderView } from "@thinkwatch/console-api";

const path = (id: string) => `/api/admin/log-forwarders/${encodeURIComponent(id)}`;

export async function listForwarders(api: ApiClient): Promise<LogForwarderView[]> {
  return (await api.get<{ forwarders: LogForwarderView[] }>("/api/admin/log-forwarders")).forwarders;
}

export async function createForwarder(api: ApiClient, body: unknown): Promise<LogForwarderView> {
  return (await api.post<{ forwarder: LogForwarderView }>("/api/admin/log-forwarders", body)).forwarder;
}

export async function toggleForwarder(api: ApiClient, id: string, enabled: boolean): Promise<LogForwarderView> {
  return (await api.post<{ forwarder: LogForwarderView }>(`${path(id)}/toggle`, { enabled })).forwarder;
}

export async function testForwarder(api: ApiClient, id: string): Promise<LogForwarderTestResult> {
  return (await api.post<{ result: LogForwarderTestResult }>(`${path(id)}/test`)).result;
}

export async function forwarderStats(api: ApiClient, id: string): Promise<LogForwarderStats> {
  return (await api.get<{ stats: LogForwarderStats }>(`${path(id)}/stats`)).stats;
}
