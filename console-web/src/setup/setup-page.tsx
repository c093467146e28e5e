/**
 * /setup, the first-run wizard: create the super admin, then optionally add a provider and create a first API key.
 * Once ThinkWatch is set up, it only says so (unless this tab is in the middle of the wizard).
 */
import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";
import { ErrorState } from "../components/error-state";
import { LoadingState } from "../components/loading-state";
import { CenteredCard } from "../layout/centered-card";
import type { Provider } from "../providers/providers-api";
import { useSession } from "../session/session-context";
import { useSetupStatus } from "../session/session-queries";
import { AdminStep } from "./admin-step";
import { KeyStep } from "./key-step";
import { ProviderStep } from "./provider-step";
import { createWizardProgress, type WizardStep } from "./wizard-progress";

const STEPS: { step: WizardStep; title: string }[] = [
  { step: "admin", title: "Admin account" },
  { step: "provider", title: "First provider" },
  { step: "key", title: "First API key" },
];

function Stepper({ current }: { current: WizardStep }) {
  const index = STEPS.findIndex((entry) => entry.step === current);
  return (
    <ol className="stepper">
      {STEPS.map((entry, i) => (
        <li key={entry.step} className={i === index ? "step-current" : i < index ? "step-done" : undefined}>
          <span className="step-number">{i + 1}</span> {entry.title}
        </li>
      ))}
    </ol>
  );
}

export function SetupPage() {
  const { session } = useSession();
  const navigate = useNavigate();
  const progress = useMemo(() => createWizardProgress(window.sessionStorage), []);
  const status = useSetupStatus();
  // null until the status says which step applies.
  const [step, setStep] = useState<WizardStep | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  function go(next: WizardStep) {
    progress.save(next);
    setStep(next);
  }

  function finish() {
    progress.clear();
    navigate("/");
  }

  if (status.data === undefined) {
    return (
      <CenteredCard title="Set up ThinkWatch">
        {status.error !== null ? (
          <ErrorState title="Could not check the setup status" error={status.error} onRetry={() => void status.refetch()} />
        ) : (
          <LoadingState label="Checking setup status…" />
        )}
      </CenteredCard>
    );
  }

  const resumable = session !== null ? progress.load() : null;
  const current: WizardStep | null = step ?? (status.data.needsSetup ? "admin" : resumable);

  if (current === null) {
    return (
      <CenteredCard title="ThinkWatch is set up">
        <p>The first administrator already exists, so there is nothing more to set up here.</p>
        <div className="form-actions">
          {session !== null ? <Link to="/">Open the console</Link> : <Link to="/login">Sign in</Link>}
        </div>
      </CenteredCard>
    );
  }

  return (
    <CenteredCard title="Set up ThinkWatch" wide>
      <Stepper current={current} />
      {notice !== null && <div className="banner banner-ok">{notice}</div>}
      {current === "admin" && <AdminStep onDone={() => go("provider")} />}
      {current === "provider" && (
        <ProviderStep
          onDone={(provider: Provider | null) => {
            setNotice(provider === null ? null : `Added ${provider.name} with ${provider.models.length} model(s).`);
            go("key");
          }}
        />
      )}
      {current === "key" && <KeyStep onDone={finish} />}
    </CenteredCard>
  );
}
