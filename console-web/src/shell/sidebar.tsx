/** The left navigation: the product name, then the user's sections and pages; the current page has aria-current. */
import { Eye } from "lucide-react";
import { NavLink } from "react-router";
import { useCurrentUser } from "../session/current-user";
import { NAV_ITEMS } from "./nav-items";
import { visibleNav } from "./visible-nav";

export function Sidebar({ onNavigate }: { onNavigate(): void }) {
  const user = useCurrentUser();
  const sections = visibleNav(NAV_ITEMS, user.permissions);
  return (
    <>
      <div className="sidebar-brand">
        <Eye aria-hidden="true" className="brand-mark" />
        <span>ThinkWatch</span>
      </div>
      <nav aria-label="Main" className="sidebar-nav">
        {sections.map((section) => (
          <div key={section.id} className="nav-section">
            {section.label !== null && (
              <div className="nav-section-label" id={`nav-${section.id}`}>
                {section.label}
              </div>
            )}
            <ul aria-labelledby={section.label === null ? undefined : `nav-${section.id}`}>
              {section.items.map((item) => (
                <li key={item.path}>
                  {/* NavLink sets aria-current="page" on the active link; "/" must match exactly. */}
                  <NavLink to={item.path} end={item.path === "/"} className="nav-link" onClick={onNavigate}>
                    <item.icon aria-hidden="true" />
                    <span>{item.label}</span>
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
    </>
  );
}
