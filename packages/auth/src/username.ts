/** Paths and names a username may not take: they would shadow an app route or mislead. */
export const RESERVED_USERNAMES = new Set([
  "admin", "administrator", "api", "app", "assets", "auth", "dashboard", "help", "healthz", "home",
  "login", "logout", "me", "mod", "moderator", "new", "onair", "register", "root", "search", "settings",
  "signin", "signout", "signup", "sign-in", "sign-up", "static", "support", "system", "trpc", "user",
  "users", "www", "live", "following", "creator", "creators", "stream", "streams", "404",
]);

export const USERNAME_PATTERN = /^[a-zA-Z0-9_]{3,30}$/;

/** Why a username is refused, or null when it is fine. */
export function usernameProblem(username: string): string | null {
  if (!USERNAME_PATTERN.test(username)) return "Username must be 3–30 letters, digits or underscores";
  if (RESERVED_USERNAMES.has(username.toLowerCase())) return `The username "${username}" is reserved`;
  return null;
}
