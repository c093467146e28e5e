/** Text fields shared by the console API's schemas: trimmed, bounded, free of control characters (NUL included). */
import * as v from "valibot";

/** True when the text holds a C0 control character or DEL (NUL included); `allowLineBreaks` permits \t \n \r. */
export function hasControlCharacter(text: string, allowLineBreaks = false): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (allowLineBreaks && (code === 9 || code === 10 || code === 13)) continue;
    if (code < 32 || code === 127) return true;
  }
  return false;
}

export const noControlCharacters = (what: string, allowLineBreaks = false) =>
  v.check((text: string) => !hasControlCharacter(text, allowLineBreaks), `${what} must not contain control characters`);

/** A single-line name: 1..max characters after trimming. */
export const NameText = (what: string, max = 200) =>
  v.pipe(
    v.string(`${what} must be a string`),
    v.trim(),
    v.minLength(1, `${what} is required`),
    v.maxLength(max, `${what} must be at most ${max} characters`),
    noControlCharacters(what),
  );

/** Optional free text (descriptions), possibly empty. */
export const FreeText = (what: string, max = 1000) =>
  v.pipe(
    v.string(`${what} must be a string`),
    v.trim(),
    v.maxLength(max, `${what} must be at most ${max} characters`),
    noControlCharacters(what, true),
  );

export const EmailText = v.pipe(
  v.string("email is required"),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(320, "email must be at most 320 characters"),
  v.email("email must be an email address"),
);

export const UuidText = (what: string) => v.pipe(v.string(`${what} must be a string`), v.uuid(`${what} must be a UUID`));
