/** A real 1×1 PNG, for image-input tests. */
export const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
export const PNG_BYTES = Buffer.from(PNG_BASE64, "base64").length;
