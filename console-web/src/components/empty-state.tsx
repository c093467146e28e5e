/** Nothing to show yet: what would be here, and usually the action that creates the first one. */
import { Inbox, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

export interface EmptyStateProps {
  title: string;
  description?: ReactNode;
  icon?: LucideIcon;
  /** Typically the button that creates the first item. */
  action?: ReactNode;
}

export function EmptyState({ title, description, icon: Icon = Inbox, action }: EmptyStateProps) {
  return (
    <div className="state state-empty">
      <Icon className="state-icon" aria-hidden="true" />
      <div className="state-title">{title}</div>
      {description !== undefined && <p className="state-text">{description}</p>}
      {action}
    </div>
  );
}
