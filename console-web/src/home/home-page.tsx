/** The console home: providers (for admins) and the signed-in user's API keys. */
import { useMemo } from "react";
import { roleAtLeast } from "../api/auth-api";
import { listProviders, type Provider } from "../api/providers-api";
import { useLoad } from "../hooks/use-load";
import { KeysPanel } from "../keys/keys-panel";
import { ProvidersPanel } from "../providers/providers-panel";
import { routedModelNames } from "../providers/routed-models";
import { useSession } from "../session/session-context";

export function HomePage() {
  const { api, session } = useSession();
  const isAdmin = session !== null && roleAtLeast(session.user.role, "admin");
  // Non-admins may not list providers; they get keys only rather than a 403 banner.
  const providers = useLoad<Provider[]>(() => (isAdmin ? listProviders(api) : Promise.resolve([])));
  const routedModels = useMemo(() => routedModelNames(providers.data ?? []), [providers.data]);

  return (
    <>
      {isAdmin && <ProvidersPanel providers={providers} />}
      <KeysPanel routedModels={routedModels} />
    </>
  );
}
