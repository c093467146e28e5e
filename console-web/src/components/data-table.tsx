/**
 * The console's table (TanStack Table): click or Enter on a header sorts, and the table shows a skeleton while
 * loading, the API error with a retry when loading failed, and an empty state when there are no rows. Wide tables
 * scroll sideways inside their card instead of stretching the page. Columns are TanStack `ColumnDef`s; `rowActions`
 * renders buttons in a last, unlabeled column.
 *
 *   <DataTable label="API keys" columns={columns} data={query.data} loading={query.isPending}
 *              error={query.error} onRetry={() => query.refetch()} empty={<EmptyState title="No keys yet" />} />
 */
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { type ReactNode, useState } from "react";
import { EmptyState } from "./empty-state";
import { ErrorState } from "./error-state";
import { Skeleton } from "./loading-state";

export interface DataTableProps<Row> {
  /** Names the table for screen readers (rendered as a hidden caption). */
  label: string;
  // biome-ignore lint/suspicious/noExplicitAny: TanStack's own column type is any-valued per column.
  columns: ColumnDef<Row, any>[];
  data: readonly Row[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  /** Shown when loaded with no rows; defaults to a generic "Nothing here yet". */
  empty?: ReactNode;
  rowActions?: (row: Row) => ReactNode;
  getRowId?: (row: Row) => string;
  /** Extra class per row, e.g. to dim revoked keys. */
  rowClassName?: (row: Row) => string | undefined;
  initialSorting?: SortingState;
  /** Below the rows, e.g. pagination controls for a server-paged list. */
  footer?: ReactNode;
}

const SKELETON_ROWS = 3;
const NO_ROWS: never[] = [];

export function DataTable<Row>({
  label,
  columns,
  data,
  loading = false,
  error = null,
  onRetry,
  empty,
  rowActions,
  getRowId,
  rowClassName,
  initialSorting = [],
  footer,
}: DataTableProps<Row>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const table = useReactTable<Row>({
    data: (data ?? NO_ROWS) as Row[],
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    ...(getRowId === undefined ? {} : { getRowId: (row: Row) => getRowId(row) }),
  });

  if (error !== null && error !== undefined && data === undefined) {
    return <ErrorState title={`Could not load ${label.toLowerCase()}`} error={error} onRetry={onRetry} />;
  }
  const rows = table.getRowModel().rows;
  if (!loading && data !== undefined && rows.length === 0) {
    return <>{empty ?? <EmptyState title="Nothing here yet" />}</>;
  }
  const columnCount = columns.length + (rowActions === undefined ? 0 : 1);

  return (
    <div className="table-wrap">
      <table className="data-table" aria-busy={loading}>
        <caption className="visually-hidden">{label}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const content = header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                        {content}
                        {sorted === "asc" ? (
                          <ArrowUp aria-hidden="true" />
                        ) : sorted === "desc" ? (
                          <ArrowDown aria-hidden="true" />
                        ) : (
                          <ArrowUpDown aria-hidden="true" className="sort-idle" />
                        )}
                      </button>
                    ) : (
                      content
                    )}
                  </th>
                );
              })}
              {rowActions !== undefined && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          ))}
        </thead>
        <tbody>
          {loading && data === undefined
            ? Array.from({ length: SKELETON_ROWS }, (_, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
                <tr key={index} className="row-skeleton">
                  {Array.from({ length: columnCount }, (_, cell) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
                    <td key={cell}>
                      <Skeleton width={cell === 0 ? "70%" : "50%"} />
                    </td>
                  ))}
                </tr>
              ))
            : rows.map((row) => (
                <tr key={row.id} className={rowClassName?.(row.original)}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                  ))}
                  {rowActions !== undefined && <td className="row-actions">{rowActions(row.original)}</td>}
                </tr>
              ))}
        </tbody>
      </table>
      {loading && data === undefined && <span className="visually-hidden">Loading {label.toLowerCase()}…</span>}
      {footer !== undefined && <div className="table-footer">{footer}</div>}
    </div>
  );
}
