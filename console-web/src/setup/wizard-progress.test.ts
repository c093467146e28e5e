import { describe, expect, it } from "vitest";
import { createWizardProgress } from "./wizard-progress";

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe("createWizardProgress", () => {
  it("resumes only the optional steps", () => {
    const progress = createWizardProgress(memoryStorage());
    expect(progress.load()).toBeNull();
    progress.save("admin");
    expect(progress.load()).toBeNull();
    progress.save("provider");
    expect(progress.load()).toBe("provider");
    progress.save("key");
    expect(progress.load()).toBe("key");
    progress.clear();
    expect(progress.load()).toBeNull();
  });
});
