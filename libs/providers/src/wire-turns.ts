/**
 * Appends one encoded turn to a wire message list. Dropped blocks can leave a turn empty (skipped) or two turns of
 * one role side by side (merged), and Anthropic, Gemini and Bedrock want non-empty, alternating turns.
 */
export function appendTurn<TRole extends string>(
  turns: Array<{ role: TRole } & Record<string, unknown>>,
  role: TRole,
  field: string,
  items: unknown[],
): void {
  if (items.length === 0) return;
  const last = turns[turns.length - 1];
  if (last !== undefined && last.role === role) (last[field] as unknown[]).push(...items);
  else turns.push({ role, [field]: items } as { role: TRole } & Record<string, unknown>);
}
