/**
 * /limits: rate-limit rules and budget caps per subject (user, API key, provider, MCP server, team). Pick a subject
 * (or one that already has limits), see "X / Y used" for each counter, and edit its rules and budgets. An MCP server
 * is picked by name from the registry; it takes rate limits on tool calls, not budgets.
 */
import { createColumnHelper } from "@tanstack/react-table";
import { Gauge } from "lucide-react";
import { type FormEvent, useState } from "react";
import { DataTable } from "../components/data-table";
import { EmptyState } from "../components/empty-state";
import { ErrorState } from "../components/error-state";
import { LoadingState } from "../components/loading-state";
import { PageHeader, Section } from "../components/page-header";
import { useMcpServers } from "../mcp/mcp-queries";
import { useCan } from "../session/current-user";
import { BudgetsEditor } from "./budgets-editor";
import { budgetsFormOf, rulesFormOf } from "./limit-form-schemas";
import type { LimitSubjectParams } from "./limits-api";
import { useLimitSubjects, useSubjectUsage } from "./limits-queries";
import { RulesEditor } from "./rules-editor";
import { UsageBars } from "./usage-bars";

const KINDS: ReadonlyArray<{ value: LimitSubjectParams["kind"]; label: string }> = [
  { value: "user", label: "User" },
  { value: "api_key", label: "API key (lineage)" },
  { value: "team", label: "Team" },
  { value: "provider", label: "Provider" },
  { value: "mcp_server", label: "MCP server" },
];

type SubjectRow = { subject: LimitSubjectParams; rules: number; budgets: number };
const column = createColumnHelper<SubjectRow>();
const COLUMNS = [
  column.accessor((row) => row.subject.kind, { id: "kind", header: "Kind" }),
  column.accessor((row) => row.subject.id, { id: "id", header: "Subject id", cell: (cell) => <code>{cell.getValue()}</code> }),
  column.accessor("rules", { header: "Rules" }),
  column.accessor("budgets", { header: "Budgets" }),
];

/** The registered MCP servers to pick from; null when they cannot be listed (then the id is typed). */
function useMcpServerChoices(enabled: boolean): Array<{ id: string; name: string }> | null {
  const canRead = useCan("mcp_servers:read");
  const servers = useMcpServers();
  if (!enabled || !canRead || servers.data === undefined || servers.data.length === 0) return null;
  return servers.data.map((server) => ({ id: server.id, name: server.name }));
}

function SubjectPicker({ onOpen }: { onOpen(subject: LimitSubjectParams): void }) {
  const [kind, setKind] = useState<LimitSubjectParams["kind"]>("user");
  const [id, setId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const servers = useMcpServerChoices(kind === "mcp_server");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (id.trim() === "") {
      setError(servers === null ? "enter the subject's id" : "choose an MCP server");
      return;
    }
    setError(null);
    onOpen({ kind, id: id.trim() });
  };
  return (
    <form className="form form-row" onSubmit={submit} aria-label="Open a subject">
      <div className="field">
        <label htmlFor="limit-kind">Kind</label>
        <select
          id="limit-kind"
          value={kind}
          onChange={(event) => {
            setKind(event.target.value as LimitSubjectParams["kind"]);
            setId("");
            setError(null);
          }}
        >
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div className={error === null ? "field" : "field field-invalid"}>
        {servers === null ? (
          <>
            <label htmlFor="limit-id">Id</label>
            <input
              id="limit-id"
              value={id}
              onChange={(event) => setId(event.target.value)}
              aria-invalid={error !== null}
              aria-describedby={error === null ? undefined : "limit-id-error"}
            />
          </>
        ) : (
          <>
            <label htmlFor="limit-server">MCP server</label>
            <select
              id="limit-server"
              value={id}
              onChange={(event) => setId(event.target.value)}
              aria-invalid={error !== null}
              aria-describedby={error === null ? undefined : "limit-id-error"}
            >
              <option value="">Choose a server…</option>
              {servers.map((server) => (
                <option key={server.id} value={server.id}>
                  {server.name}
                </option>
              ))}
            </select>
          </>
        )}
        {error !== null && (
          <div className="field-error" id="limit-id-error" role="alert">
            {error}
          </div>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          Open
        </button>
      </div>
    </form>
  );
}

function SubjectLimits({ subject }: { subject: LimitSubjectParams }) {
  const usage = useSubjectUsage(subject);
  const canWrite = useCan("limits:write");
  if (usage.isPending) return <LoadingState label="Loading limits…" />;
  if (usage.error !== null) return <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />;
  const key = `${subject.kind}:${subject.id}`;
  return (
    <>
      <Section title={`Usage of ${subject.kind} ${subject.id}`} description="Counters right now, across every replica.">
        <UsageBars usage={usage.data} />
      </Section>
      <Section
        title="Rate-limit rules"
        description="Sliding windows of 60 buckets. Request rules are hard; token rules are soft (checked before, counted after)."
      >
        <RulesEditor key={`${key}:rules`} subject={subject} initial={rulesFormOf(usage.data)} readOnly={!canWrite} />
      </Section>
      {subject.kind === "mcp_server" ? (
        <Section title="Budgets" description="MCP servers have no token cost: limit their tool calls with rules above.">
          {null}
        </Section>
      ) : (
        <Section
          title="Budgets"
          description="Calendar periods. Soft caps: the request that crosses a cap completes; later ones in the period are refused."
        >
          <BudgetsEditor key={`${key}:budgets`} subject={subject} initial={budgetsFormOf(usage.data)} readOnly={!canWrite} />
        </Section>
      )}
    </>
  );
}

export function LimitsPage() {
  const subjects = useLimitSubjects();
  const [selected, setSelected] = useState<LimitSubjectParams | null>(null);
  return (
    <>
      <PageHeader
        title="Limits"
        description="Rate limits and budgets per user, API key, provider, MCP server or team; all of a request's limits are checked at once."
      />
      <Section title="Open a subject" description="Any subject can take limits, including one that has none yet.">
        <SubjectPicker onOpen={setSelected} />
      </Section>
      <div className="card">
        <DataTable
          label="Subjects with limits"
          columns={COLUMNS}
          data={subjects.data}
          loading={subjects.isPending}
          error={subjects.error}
          onRetry={() => void subjects.refetch()}
          getRowId={(row) => `${row.subject.kind}:${row.subject.id}`}
          rowActions={(row) => (
            <button type="button" className="button button-secondary button-small" onClick={() => setSelected(row.subject)}>
              Open {row.subject.kind} {row.subject.id}
            </button>
          )}
          empty={
            <EmptyState icon={Gauge} title="No limits yet" description="Open a subject above to add its first rule or budget." />
          }
        />
      </div>
      {selected !== null && <SubjectLimits key={`${selected.kind}:${selected.id}`} subject={selected} />}
    </>
  );
}
