/** A small status pill. The tone carries meaning (ok / warning / danger); the text must say it too, for colour-blind users. */
import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "ok" | "warning" | "danger" | "info";

export function Badge({ tone = "neutral", children, title }: { tone?: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
