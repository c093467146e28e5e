/** The frame of the signed-out pages (setup, login): the product name and one card in the middle of the page. */
import { Eye } from "lucide-react";
import type { ReactNode } from "react";

export function CenteredCard({ title, wide = false, children }: { title: string; wide?: boolean; children: ReactNode }) {
  return (
    <main className="centered">
      <div className="brand">
        <Eye aria-hidden="true" className="brand-mark" />
        ThinkWatch
      </div>
      <div className={wide ? "card card-wide" : "card"}>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
