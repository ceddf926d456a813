/** Better Auth for OnAir (create-auth.ts), the session reader the server's hot paths use, roles and usernames. */
export { createAuth, CLIENT_IP_HEADER, PASSWORD_PATHS, type Auth, type AuthOptions, type AuthSession } from "./create-auth";
export { fromNodeHeaders } from "better-auth/node";
export * from "./username";
export { readSession } from "./session-reader";
export { ACCOUNT_CHANNEL, accountChanges, setRole, type RoleChange } from "./roles";
export { MAIL_REQUEST_PATHS, type AuthMail, type MailLog } from "./account-mail";
