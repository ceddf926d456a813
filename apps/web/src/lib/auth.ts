import { usernameClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";
import { refreshSession } from "./session";

/** Better Auth on the same origin (/api/auth); the session travels in a cookie. */
export const authClient = createAuthClient({
  plugins: [usernameClient()],
  fetchOptions: {
    // The app reads the session without this client (lib/session.ts): tell it when it changed.
    // Not awaited: the pages clear the query cache when signIn() & co. resolve; the new session
    // arrives after that and re-renders whoever asks (as Better Auth's own useSession did).
    onSuccess({ request }) {
      if (/\/sign-(in|up|out)/.test(String(request.url))) void refreshSession();
    },
  },
});

export type AuthField = "username" | "email" | "password";

export interface AuthProblem {
  field: AuthField | null;
  message: string;
}

/**
 * Better Auth answers `{ message, code }`. When the error names exactly one of the form's fields
 * (e.g. USERNAME_IS_ALREADY_TAKEN) it belongs next to that field; otherwise at the top of the form.
 */
export function describeAuthError(
  error: { message?: string | undefined; code?: string | undefined; status?: number } | null,
  fields: readonly AuthField[],
): AuthProblem {
  const message =
    error?.message ||
    (error?.status === 429 ? "Too many attempts. Wait a minute and try again." : "Something went wrong. Please try again.");
  const text = `${error?.code ?? ""} ${message}`.toLowerCase();
  const named = fields.filter((field) => text.includes(field));
  return { field: named.length === 1 ? named[0]! : null, message };
}
