/** The password rule as a live checklist under the password input. */
import { checkPassword } from "./password-rule";

export function PasswordChecklist({ password }: { password: string }) {
  return (
    <ul className="checklist" aria-label="Password requirements">
      {checkPassword(password).map((check) => (
        <li key={check.id} className={check.met ? "check-met" : "check-unmet"}>
          <span aria-hidden="true">{check.met ? "✓" : "○"}</span> {check.label}
        </li>
      ))}
    </ul>
  );
}
