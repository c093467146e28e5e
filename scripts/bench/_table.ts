/**
 * A Markdown table (readable as plain text too): header, separator, rows, columns padded. A `|` inside a cell (a
 * regular expression's name in a profile) is escaped, so it does not split the cell.
 */
export function formatTable(header: string[], rows: string[][]): string {
  const escapeCells = (cells: string[]) => cells.map((cell) => cell.replaceAll("|", "\\|"));
  const head = escapeCells(header);
  const body = rows.map(escapeCells);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
