import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOnAirClient, MAX_BATCH, signIn } from "./index";

/**
 * The client's own behaviour against a stand-in HTTP endpoint (no OnAir server: the typed client
 * against real servers is tested where the server lives, apps/server/src/typed-client/).
 */
type Seen = { method: string; path: string; headers: IncomingHttpHeaders; body: string };

describe("createOnAirClient and signIn, on the wire", () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];
  /** The next sign-in answer: status, headers, body. */
  let signInAnswer: { status: number; headers: Record<string, string>; body: unknown };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const path = req.url ?? "";
        seen.push({ method: req.method ?? "", path, headers: req.headers, body });
        if (path.startsWith("/api/auth/sign-in/email")) {
          res.writeHead(signInAnswer.status, { "content-type": "application/json", ...signInAnswer.headers });
          res.end(JSON.stringify(signInAnswer.body));
          return;
        }
        // A tRPC batch: one result per procedure named in the path, each the procedure's name.
        const procedures = decodeURIComponent(path.split("?")[0]!.replace(/^\/trpc\//, "")).split(",");
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(procedures.map((name) => ({ result: { data: { json: name } } }))));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => void seen.splice(0));

  it(`splits a batch at ${MAX_BATCH} calls (the server refuses more) and answers each call`, async () => {
    const client = createOnAirClient({ url });
    const answers = await Promise.all(Array.from({ length: MAX_BATCH + 4 }, () => client.gift.catalog.query()));
    expect(answers).toEqual(Array.from({ length: MAX_BATCH + 4 }, () => "gift.catalog"));
    const sizes = seen.map((request) => request.path.split("?")[0]!.split(",").length).sort((a, b) => b - a);
    expect(sizes).toEqual([MAX_BATCH, 4]);
  });

  it("sends the session token as a bearer token, and nothing without one; a trailing slash in the URL is fine", async () => {
    await createOnAirClient({ url: `${url}/`, token: "tok-1" }).account.me.query();
    await createOnAirClient({ url }).stream.live.query({});
    expect(seen.map((request) => [request.path.split("?")[0], request.headers.authorization])).toEqual([
      ["/trpc/account.me", "Bearer tok-1"],
      ["/trpc/stream.live", undefined],
    ]);
  });

  it("signIn returns the set-auth-token header, sending the origin Better Auth checks", async () => {
    signInAnswer = { status: 200, headers: { "set-auth-token": "session-token" }, body: {} };
    await expect(signIn(`${url}/`, "a@example.com", "pw")).resolves.toBe("session-token");
    expect(seen[0]).toMatchObject({ method: "POST", path: "/api/auth/sign-in/email", headers: { origin: `${url}/` } });
    expect(JSON.parse(seen[0]!.body)).toEqual({ email: "a@example.com", password: "pw" });
  });

  it("signIn refused, or answered without a token, throws naming the status and the reason", async () => {
    signInAnswer = { status: 401, headers: {}, body: { message: "Invalid email or password" } };
    await expect(signIn(url, "a@example.com", "wrong")).rejects.toThrow("Sign-in failed (401): Invalid email or password");
    signInAnswer = { status: 200, headers: {}, body: {} };
    await expect(signIn(url, "a@example.com", "pw")).rejects.toThrow("Sign-in failed (200): no session token returned");
  });
});
