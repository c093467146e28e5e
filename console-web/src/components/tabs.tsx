/**
 * Tabs as the ARIA tabs pattern: a tablist whose arrow keys (and Home/End) move between tabs, one tab stop, and a
 * labelled panel. Controlled or uncontrolled (`value` / `defaultValue`).
 */
import { type ReactNode, useId, useRef, useState } from "react";

export interface TabItem {
  id: string;
  label: ReactNode;
  content: ReactNode;
}

export interface TabsProps {
  tabs: readonly TabItem[];
  /** Names the tablist for screen readers. */
  label: string;
  value?: string;
  defaultValue?: string;
  onChange?(id: string): void;
}

export function Tabs({ tabs, label, value, defaultValue, onChange }: TabsProps) {
  const baseId = useId();
  const [own, setOwn] = useState(defaultValue ?? tabs[0]?.id ?? "");
  const selected = value ?? own;
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  function select(id: string, focus = false) {
    setOwn(id);
    onChange?.(id);
    if (focus) buttons.current.get(id)?.focus();
  }

  function onKeyDown(event: { key: string; preventDefault(): void }) {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const target =
      event.key === "ArrowRight"
        ? tabs[(index + 1) % tabs.length]
        : event.key === "ArrowLeft"
          ? tabs[(index - 1 + tabs.length) % tabs.length]
          : event.key === "Home"
            ? tabs[0]
            : event.key === "End"
              ? tabs.at(-1)
              : undefined;
    if (target === undefined) return;
    event.preventDefault();
    select(target.id, true);
  }

  const current = tabs.find((tab) => tab.id === selected) ?? tabs[0];
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tab-list" onKeyDown={onKeyDown}>
        {tabs.map((tab) => {
          const active = tab.id === current?.id;
          return (
            <button
              key={tab.id}
              ref={(element) => {
                if (element === null) buttons.current.delete(tab.id);
                else buttons.current.set(tab.id, element);
              }}
              type="button"
              role="tab"
              id={`${baseId}-tab-${tab.id}`}
              aria-selected={active}
              aria-controls={`${baseId}-panel-${tab.id}`}
              tabIndex={active ? 0 : -1}
              className="tab"
              onClick={() => select(tab.id)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      {current !== undefined && (
        <div
          role="tabpanel"
          id={`${baseId}-panel-${current.id}`}
          aria-labelledby={`${baseId}-tab-${current.id}`}
          className="tab-panel"
        >
          {current.content}
        </div>
      )}
    </div>
  );
}
