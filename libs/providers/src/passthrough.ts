/**
 * Same-format passthrough: unmodelled source fields are written back into the encoded body. Dotted keys
 * ("generationConfig.seed") go into the nested object the encoder built; nothing the encoder set is overwritten.
 */
export function applyPassthrough(body: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) {
    const dot = key.indexOf(".");
    if (dot === -1) {
      if (!(key in body)) body[key] = value;
      continue;
    }
    const head = key.slice(0, dot);
    const tail = key.slice(dot + 1);
    const existing = body[head];
    const nested =
      typeof existing === "object" && existing !== null && !Array.isArray(existing) ? (existing as Record<string, unknown>) : {};
    if (!(tail in nested)) nested[tail] = value;
    body[head] = nested;
  }
}

/** Splits a nested object's unmodelled keys out as dotted passthrough fields. */
export function collectNested(
  into: Record<string, unknown>,
  prefix: string,
  value: Record<string, unknown> | undefined | null,
  known: ReadonlySet<string>,
): void {
  if (value === undefined || value === null) return;
  for (const [key, inner] of Object.entries(value)) if (!known.has(key)) into[`${prefix}.${key}`] = inner;
}
