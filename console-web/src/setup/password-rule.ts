/**
 * The console password rule, checked as the user types: at least 8 characters with an uppercase letter, a lowercase
 * letter and a digit (admin-api enforces the same rule; this copy exists only for live feedback).
 */

export interface PasswordCheck {
  id: "length" | "upper" | "lower" | "digit";
  label: string;
  met: boolean;
}

export const PASSWORD_MIN_LENGTH = 8;
/** admin-api refuses longer passwords; say so before the round trip. */
export const PASSWORD_MAX_LENGTH = 256;

export function checkPassword(password: string): PasswordCheck[] {
  return [
    { id: "length", label: `at least ${PASSWORD_MIN_LENGTH} characters`, met: password.length >= PASSWORD_MIN_LENGTH },
    { id: "upper", label: "an uppercase letter", met: /[A-Z]/.test(password) },
    { id: "lower", label: "a lowercase letter", met: /[a-z]/.test(password) },
    { id: "digit", label: "a digit", met: /[0-9]/.test(password) },
  ];
}

/** The first problem with a new password and its confirmation, or undefined when both are acceptable. */
export function passwordProblem(
  password: string,
  confirmation: string,
): { field: "password" | "confirm"; message: string } | undefined {
  if (password.length > PASSWORD_MAX_LENGTH) {
    return { field: "password", message: `password must be at most ${PASSWORD_MAX_LENGTH} characters` };
  }
  const unmet = checkPassword(password).filter((check) => !check.met);
  if (unmet.length > 0) return { field: "password", message: `password needs ${unmet.map((check) => check.label).join(", ")}` };
  if (password !== confirmation) return { field: "confirm", message: "the passwords do not match" };
  return undefined;
}
