/**
 * The one username rule, shared by Better Auth (sign-up, update-user), the API's inputs and the web
 * forms. No imports: the web app bundles this file as it is (`@onair/auth/username`).
 */

/** Paths and names a username may not take: they would shadow an app route or mislead. */
export const RESERVED_USERNAMES = new Set([
  "admin",
  "administrator",
  "api",
  "app",
  "assets",
  "auth",
  "dashboard",
  "help",
  "healthz",
  "home",
  "login",
  "logout",
  "me",
  "mod",
  "moderator",
  "new",
  "onair",
  "register",
  "root",
  "search",
  "settings",
  "signin",
  "signout",
  "signup",
  "sign-in",
  "sign-up",
  "static",
  "support",
  "system",
  "trpc",
  "user",
  "users",
  "www",
  "live",
  "following",
  "creator",
  "creators",
  "stream",
  "streams",
  "404",
]);

export const USERNAME_PATTERN = /^[a-zA-Z0-9_]{3,30}$/;
/** The rule in words, for hints and error messages. */
export const USERNAME_RULE = "3–30 letters, digits or underscores";

/** Why a username is refused, or null when it is fine. */
export function usernameProblem(username: string): string | null {
  if (!USERNAME_PATTERN.test(username)) return `Username must be ${USERNAME_RULE}`;
  if (RESERVED_USERNAMES.has(username.toLowerCase())) return `The username "${username}" is reserved`;
  return null;
}

/** The display form of a username may change only its letter case (no impersonating "bob" as eve). */
export function displayUsernameProblem(displayUsername: unknown, username: string | null | undefined): string | null {
  if (typeof displayUsername !== "string" || !username || displayUsername.toLowerCase() !== username.toLowerCase()) {
    return "displayUsername must be the username, differing at most in letter case";
  }
  return null;
}
