/** One nav entry's page: loaded lazily, and refused with a clear message to a user without the entry's permission. */
import { ShieldAlert } from "lucide-react";
import { Suspense } from "react";
import { EmptyState } from "../components/empty-state";
import { LoadingState } from "../components/loading-state";
import { useCan } from "../session/current-user";
import type { NavItem } from "./nav-items";

export function PageRoute({ item }: { item: NavItem }) {
  const allowed = useCan(item.permission);
  if (!allowed) {
    return (
      <EmptyState
        icon={ShieldAlert}
        title="You do not have access to this page"
        description={`${item.label} needs the ${item.permission} permission. Ask an administrator if you need it.`}
      />
    );
  }
  return (
    <Suspense fallback={<LoadingState label={`Loading ${item.label}…`} />}>
      <item.page />
    </Suspense>
  );
}
