import { APIError } from "better-auth/api";

/** The fields each sign-in path needs: left empty, it is a missing field, not a wrong password. */
const SIGN_IN_FIELDS: Record<string, readonly string[]> = {
  "/sign-in/username": ["username", "password"],
  "/sign-in/email": ["email", "password"],
};

/**
 * BAD_REQUEST naming the first field a sign-in left empty (`username is required`, code
 * USERNAME_REQUIRED), before Better Auth would answer "Invalid username or password".
 */
export function checkSignInFields(path: string, body: unknown) {
  const fields = SIGN_IN_FIELDS[path];
  if (!fields) return;
  const values = (body ?? {}) as Record<string, unknown>;
  for (const field of fields) {
    const value = values[field];
    if (typeof value !== "string" || value.trim() === "") {
      throw new APIError("BAD_REQUEST", { message: `${field} is required`, code: `${field.toUpperCase()}_REQUIRED` });
    }
  }
}
