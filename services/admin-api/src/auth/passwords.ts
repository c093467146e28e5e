/** Password rules and hashing (argon2id). The complexity rule is the original product's: 8+ chars, upper, lower, digit. */
import { hash, verify } from "@node-rs/argon2";

export { PasswordSchema } from "@thinkwatch/console-api";

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so response time does not reveal which emails exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash("not-a-real-password-Aa1");
  return dummyHash;
}
