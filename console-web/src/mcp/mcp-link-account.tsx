/**
 * "Link my account" / "Linked ✓" / "Unlink" for a per-user OAuth MCP server: the caller's own link, never anyone
 * else's. Linking sends the browser to the upstream's authorization server; its callback brings it back here.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { McpLinkStart, McpLinkStatus } from "@thinkwatch/console-api";
import { toApiError } from "../api/api-error";
import { useApi } from "../api/use-api";
import { Badge } from "../components/badge";
import { mcpKeys } from "./mcp-queries";

export function LinkAccount({ serverId, serverName }: { serverId: string; serverName: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const path = `/api/mcp/servers/${serverId}/link`;
  const queryKey = [...mcpKeys.all, "link", serverId];
  const status = useQuery({ queryKey, queryFn: () => api.get<McpLinkStatus>(path) });
  const link = useMutation({
    mutationFn: () => api.post<McpLinkStart>(path),
    onSuccess: (started) => window.location.assign(started.authorizationUrl),
  });
  const unlink = useMutation({
    mutationFn: () => api.delete(path),
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
  });
  const error = link.error ?? unlink.error;

  return (
    <>
      {status.data?.linked === true ? (
        <>
          <Badge tone="ok">Linked ✓</Badge>
          <button
            type="button"
            className="button button-secondary button-small"
            aria-label={`Unlink my account from ${serverName}`}
            disabled={unlink.isPending}
            onClick={() => unlink.mutate()}
          >
            Unlink
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button button-primary button-small"
          aria-label={`Link my account on ${serverName}`}
          disabled={status.isPending || link.isPending}
          onClick={() => link.mutate()}
        >
          Link my account
        </button>
      )}
      {error !== null && (
        <span role="alert" className="field-error">
          {toApiError(error).message}
        </span>
      )}
    </>
  );
}
