/** The signed-in user in the top bar: name and role; the button opens a small panel with the email and "Sign out". */
import { ChevronDown, LogOut } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { Badge } from "../components/badge";
import { useCurrentUser } from "../session/current-user";
import { useSession } from "../session/session-context";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase();
}

export function UserMenu() {
  const user = useCurrentUser();
  const { signOut } = useSession();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  // Escape and a click elsewhere close the panel; Escape returns focus to the button.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(user.displayName)}
        </span>
        <span className="user-menu-name">{user.displayName}</span>
        <Badge tone="info">{user.role.replace("_", " ")}</Badge>
        <ChevronDown aria-hidden="true" className="chevron" />
      </button>
      {open && (
        <div className="user-menu-panel" id={panelId}>
          <div className="user-menu-identity">
            <div className="user-menu-display">{user.displayName}</div>
            <div className="muted">{user.email}</div>
          </div>
          <button type="button" className="menu-item" onClick={signOut}>
            <LogOut aria-hidden="true" />
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
