/** /profile: the signed-in user's account — who they are, their password, and the sessions signed in as them. */
import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { Badge } from "../components/badge";
import { DataTable } from "../components/data-table";
import { ErrorState } from "../components/error-state";
import { PageHeader, Section } from "../components/page-header";
import { formatTime } from "../format/format-time";
import { useCurrentUser } from "../session/current-user";
import { useSession } from "../session/session-context";
import { PasswordForm } from "./password-form";
import type { Session } from "./profile-api";
import { useEndAllSessions, useEndSession, useMySessions } from "./profile-queries";

const column = createColumnHelper<Session>();

export function ProfilePage() {
  const user = useCurrentUser();
  const { signOut } = useSession();
  const sessions = useMySessions();
  const end = useEndSession();
  const endAll = useEndAllSessions();
  const columns = useMemo(
    () => [
      column.accessor("userAgent", {
        header: "Device",
        cell: ({ row, getValue }) => (
          <>
            {getValue() ?? <span className="muted">unknown</span>} {row.original.current && <Badge tone="ok">this session</Badge>}
          </>
        ),
      }),
      column.accessor("ip", { header: "Address", cell: (c) => c.getValue() ?? "" }),
      column.accessor("createdAt", { header: "Signed in", cell: (c) => formatTime(c.getValue()) }),
      column.accessor("lastUsedAt", { header: "Last refreshed", cell: (c) => formatTime(c.getValue()) }),
    ],
    [],
  );

  return (
    <>
      <PageHeader title="Profile" description={`${user.displayName} · ${user.email}`} />
      <Section title="Role and permissions">
        <p>
          <Badge tone="info">{user.role.replace("_", " ")}</Badge>
        </p>
        <p className="muted">{user.permissions.join(", ")}</p>
      </Section>
      <Section title="Password">
        <PasswordForm />
      </Section>
      <Section
        title="Sessions"
        description="Where you are signed in. Ending a session signs that browser out at once."
        actions={
          <button
            type="button"
            className="button button-danger-quiet"
            disabled={endAll.isPending}
            onClick={() => endAll.mutate(undefined, { onSuccess: signOut })}
          >
            Sign out everywhere
          </button>
        }
      >
        <DataTable
          label="Your sessions"
          columns={columns}
          data={sessions.data}
          loading={sessions.isPending}
          error={sessions.error}
          onRetry={() => void sessions.refetch()}
          getRowId={(session) => session.id}
          rowActions={(session) =>
            !session.current && (
              <button type="button" className="button button-secondary button-small" onClick={() => end.mutate(session.id)}>
                End session
              </button>
            )
          }
        />
        {(end.error ?? endAll.error) !== null && (
          <ErrorState title="Could not end the session" error={end.error ?? endAll.error} />
        )}
      </Section>
    </>
  );
}
