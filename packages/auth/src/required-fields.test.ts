import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@onair/db";
import { createTestDatabase } from "@onair/db/testing";
import { createAuth } from "./index";

const PASSWORD = "correct-horse-battery";
let handle: DatabaseHandle;
let auth: ReturnType<typeof createAuth>;

beforeAll(async () => {
  handle = await createTestDatabase();
  auth = createAuth({
    db: handle.db,
    secret: "onair-auth-test-secret-0123456789abcdefghij",
    baseURL: "http://localhost:3000",
    trustedOrigins: ["http://localhost:3000"],
    adminEmails: [],
    firstUserIsAdmin: false,
  });
  await post("/sign-up/email", { name: "Someone", email: "filled@example.com", username: "filled_in", password: PASSWORD });
});
afterAll(async () => {
  await handle?.close();
});

/** Through Better Auth's HTTP handler, as the sign-in form calls it. */
async function post(path: string, body: Record<string, unknown>) {
  const response = await auth.handler(
    new Request(`http://localhost:3000/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: (await response.json()) as { code?: string; message?: string } };
}

describe("sign-in with a field left empty", () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ["an empty form (username path)", "/sign-in/username", { username: "", password: "" }, "username"],
    ["a blank username", "/sign-in/username", { username: "   ", password: PASSWORD }, "username"],
    ["no password (username path)", "/sign-in/username", { username: "filled_in", password: "" }, "password"],
    ["an empty email", "/sign-in/email", { email: "", password: PASSWORD }, "email"],
    ["no password (email path)", "/sign-in/email", { email: "filled@example.com" }, "password"],
  ];
  for (const [label, path, body, field] of cases) {
    it(`answers ${label} with BAD_REQUEST naming ${field}, not "invalid username or password"`, async () => {
      const result = await post(path, body);
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ code: `${field.toUpperCase()}_REQUIRED`, message: `${field} is required` });
    });
  }

  it("still signs in with both fields filled, and still refuses a wrong password as before", async () => {
    expect((await post("/sign-in/username", { username: "filled_in", password: PASSWORD })).status).toBe(200);
    expect((await post("/sign-in/email", { email: "filled@example.com", password: "wrong-password-123" })).status).toBe(401);
  });
});
