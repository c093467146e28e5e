/** The login page's "Sign in with SSO" button, shown only while single sign-on is enabled. */
import { LogIn } from "lucide-react";
import { useSsoStatus } from "../settings/settings-queries";

export function SsoButton() {
  const status = useSsoStatus();
  if (status.data?.enabled !== true) return null;
  return (
    <div className="form-actions">
      {/* A full navigation, not fetch: the identity provider's login page takes over the tab. */}
      <a className="button" href="/api/auth/sso/authorize">
        <LogIn aria-hidden="true" />
        {status.data.buttonLabel ?? "Sign in with SSO"}
      </a>
    </div>
  );
}
