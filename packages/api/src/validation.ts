import { z } from "zod";
import { USERNAME_PATTERN, USERNAME_RULE } from "@onair/auth/username";

/** A channel name as typed in a URL: matched case-insensitively. */
export const usernameInput = z
  .string()
  .trim()
  .regex(USERNAME_PATTERN, `must be ${USERNAME_RULE}`)
  .transform((name) => name.toLowerCase());

export const byUsernameInput = z.object({ username: usernameInput });
