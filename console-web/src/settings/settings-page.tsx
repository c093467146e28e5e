/** /settings: the seven categories of system settings in tabs, with single sign-on under Authentication. */
import { ErrorState } from "../components/error-state";
import { LoadingState } from "../components/loading-state";
import { PageHeader, Section } from "../components/page-header";
import { Tabs } from "../components/tabs";
import { CategoryForm } from "./category-form";
import { SETTINGS_TABS } from "./settings-fields";
import { useSettings, useSso } from "./settings-queries";
import { SsoForm } from "./sso-form";

function SsoSection() {
  const sso = useSso();
  if (sso.isPending) return <LoadingState label="Loading SSO configuration…" />;
  if (sso.error !== null) return <ErrorState error={sso.error} onRetry={() => void sso.refetch()} />;
  return <SsoForm sso={sso.data} />;
}

export function SettingsPage() {
  const settings = useSettings();
  return (
    <>
      <PageHeader title="Settings" description="System settings; a saved change applies on every replica within a second." />
      {settings.isPending ? (
        <LoadingState label="Loading settings…" />
      ) : settings.error !== null ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Tabs
          label="Settings categories"
          tabs={SETTINGS_TABS.map((tab) => ({
            id: tab.id,
            label: tab.label,
            content: (
              <div className="stack">
                <Section title={tab.label} description={tab.description}>
                  <CategoryForm category={tab.id} values={settings.data[tab.id] as Record<string, unknown>} />
                </Section>
                {tab.id === "auth" && (
                  <Section title="Single sign-on" description="Sign in through your OpenID Connect identity provider.">
                    <SsoSection />
                  </Section>
                )}
              </div>
            ),
          }))}
        />
      )}
    </>
  );
}
