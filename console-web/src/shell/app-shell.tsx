/**
 * The frame of the signed-in console: a skip link, the sidebar, a top bar with the user menu, and the page in
 * <main>. Below 960 px the sidebar becomes a drawer behind the top bar's menu button: it traps Tab while open, and
 * Escape, the backdrop or following a link closes it and returns focus to the button.
 */
import { Menu, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Outlet, useLocation } from "react-router";
import { focusableIn, trapTab } from "../components/focusable";
import { NAV_ITEMS } from "./nav-items";
import { NAV_SECTIONS } from "./nav-sections";
import { Sidebar } from "./sidebar";
import { UserMenu } from "./user-menu";
import { navItemFor } from "./visible-nav";

export function AppShell() {
  const [navOpen, setNavOpen] = useState(false);
  const sidebar = useRef<HTMLElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const main = useRef<HTMLElement>(null);
  const location = useLocation();
  const current = navItemFor(NAV_ITEMS, location.pathname);
  const section = NAV_SECTIONS.find((entry) => entry.id === current?.section)?.label ?? undefined;

  useEffect(() => {
    document.title = current === undefined ? "ThinkWatch" : `${current.label} · ThinkWatch`;
  }, [current]);

  function closeNav() {
    setNavOpen(false);
    menuButton.current?.focus();
  }

  useEffect(() => {
    if (!navOpen) return;
    if (sidebar.current !== null) focusableIn(sidebar.current)[0]?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setNavOpen(false);
        menuButton.current?.focus();
      } else if (sidebar.current !== null) {
        trapTab(event, sidebar.current);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [navOpen]);

  return (
    <div className="shell" data-nav-open={navOpen}>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is an in-page link; the handler also moves focus without touching the router's URL */}
      <a
        href="#main"
        className="skip-link"
        onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to main content
      </a>
      <aside id="sidebar" ref={sidebar} className="sidebar" aria-label="Sidebar">
        <button type="button" className="button-icon sidebar-close" aria-label="Close navigation" onClick={closeNav}>
          <X aria-hidden="true" />
        </button>
        <Sidebar onNavigate={() => setNavOpen(false)} />
      </aside>
      {navOpen && <div className="backdrop" aria-hidden="true" onClick={closeNav} />}
      <div className="shell-body">
        <header className="topbar">
          <button
            ref={menuButton}
            type="button"
            className="button-icon menu-button"
            aria-label="Open navigation"
            aria-expanded={navOpen}
            aria-controls="sidebar"
            onClick={() => setNavOpen(true)}
          >
            <Menu aria-hidden="true" />
          </button>
          <div className="topbar-title">
            {section !== undefined && (
              <>
                <span className="topbar-section">{section}</span>
                <span className="topbar-separator" aria-hidden="true">
                  /
                </span>
              </>
            )}
            {current?.label ?? ""}
          </div>
          <UserMenu />
        </header>
        <main id="main" ref={main} tabIndex={-1} className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
