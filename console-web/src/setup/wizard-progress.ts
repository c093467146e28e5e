/**
 * Remembers which setup wizard step the tab is on, so a reload after the admin account exists resumes the optional
 * steps instead of reporting "already set up". Kept in sessionStorage next to the session it depends on.
 */

export type WizardStep = "admin" | "provider" | "key";

const STORAGE_KEY = "thinkwatch.setup-step";
const RESUMABLE: readonly WizardStep[] = ["provider", "key"];

export interface WizardProgress {
  /** A step after the admin account that can be resumed, if one was reached in this tab. */
  load(): WizardStep | null;
  save(step: WizardStep): void;
  clear(): void;
}

export function createWizardProgress(storage: Pick<Storage, "getItem" | "setItem" | "removeItem">): WizardProgress {
  return {
    load() {
      const value = storage.getItem(STORAGE_KEY);
      return RESUMABLE.find((step) => step === value) ?? null;
    },
    save(step) {
      storage.setItem(STORAGE_KEY, step);
    },
    clear() {
      storage.removeItem(STORAGE_KEY);
    },
  };
}
