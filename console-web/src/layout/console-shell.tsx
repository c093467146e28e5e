/** The frame of the signed-in console: a top bar with the product name, the user and sign-out, then the page. */
import { Outlet } from "react-router";
import { useSession } from "../session/session-context";

export function ConsoleShell() {
  const { session, signOut } = useSession();
  return (
    <>
      <header className="topbar">
        <span className="brand">ThinkWatch</span>
        {session !== null && (
          <span className="topbar-user">
            <span title={session.user.email}>{session.user.displayName}</span>
            <span className="badge">{session.user.role.replace("_", " ")}</span>
            <button type="button" className="button-small button-quiet" onClick={signOut}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <main className="content">
        <Outlet />
      </main>
    </>
  );
}
