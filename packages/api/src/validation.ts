import { z } from "zod";
import { USERNAME_PATTERN, USERNAME_RULE } from "@onair/auth/username";

/** A channel name as typed in a URL: matched case-insensitively. */
export const usernameInput = z
  .string()
  .trim()
  .regex(USERNAME_PATTERN, `must be ${USERNAME_RULE}`)
  .transform((name) => name.toLowerCase());

export const byUsernameInput = z.object({ username: usernameInput });

// C0 and C1 control characters and DEL; the multi-line variant lets newline, carriage return and tab through.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Text that is stored (titles, descriptions, chat, gift messages, reasons…): trimmed, and refused with
 * a BAD_REQUEST naming the field when it holds a NUL or another control character (PostgreSQL cannot
 * store NUL in text; the rest has no business in a title). `multiline` allows newlines and tabs.
 * Chain `.min()` / `.max()` as with any string.
 */
export function storedText(options: { multiline?: boolean } = {}) {
  const pattern = options.multiline ? CONTROL_BUT_LINES : CONTROL;
  const message = options.multiline ? "must not contain control characters" : "must not contain control characters or line breaks";
  return z
    .string()
    .trim()
    .refine((value) => !pattern.test(value), message);
}
