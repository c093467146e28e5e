/** Password rules and hashing (argon2id). The complexity rule is the original product's: 8+ chars, upper, lower, digit. */
import { hash, verify } from "@node-rs/argon2";
import * as v from "valibot";

export const PasswordSchema = v.pipe(
  v.string("password is required"),
  v.minLength(8, "password must be at least 8 characters"),
  v.maxLength(256, "password must be at most 256 characters"),
  v.regex(/[A-Z]/, "password must contain an uppercase letter"),
  v.regex(/[a-z]/, "password must contain a lowercase letter"),
  v.regex(/[0-9]/, "password must contain a digit"),
);

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
