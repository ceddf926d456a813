import { z } from "zod";

/** A channel name as typed in a URL: matched case-insensitively. */
export const usernameInput = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9_]{1,30}$/, "must be 1–30 letters, digits or underscores")
  .transform((name) => name.toLowerCase());

export const byUsernameInput = z.object({ username: usernameInput });
