import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabaseHandle } from "@onair/db/testing";
import { startServer } from "../testing";

/** Closing the server (SIGTERM) ends every SSE stream with tRPC's `return` frame instead of cutting it. */
describe("closing ends subscriptions with tRPC's return frame", () => {
  let handle: TestDatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase();
    await handle.db.execute(sql`insert into "user" (id, name, email, username) values ('closer', 'closer', 'closer@test.onair', 'closer')`);
    await handle.db.execute(sql`insert into stream (user_id, title) values ('closer', 'Closing time')`);
  });
  afterAll(() => handle?.close());

  for (const [lane, trpcFastLane] of [
    ["the fast lane", true],
    ["the official adapter", false],
  ] as const) {
    it(`on ${lane}: chat.onMessage and stream.onStatus end with "event: return"`, async () => {
      const server = await startServer(handle, {}, { trpcFastLane });
      const input = (json: object) => encodeURIComponent(JSON.stringify({ json }));
      const open = async (path: string) => {
        const res = await fetch(`${server.url}/trpc/${path}`, { headers: { accept: "text/event-stream" } });
        expect(res.status).toBe(200);
        const reader: ReadableStreamDefaultReader<Uint8Array> = res.body!.getReader();
        let text = "";
        const read = async (until: (text: string) => boolean) => {
          while (!until(text)) {
            const { done, value } = await reader.read();
            if (done) break;
            text += new TextDecoder().decode(value);
          }
          return text;
        };
        return read;
      };
      const chat = await open(`chat.onMessage?input=${input({ username: "closer", lastEventId: "0" })}`);
      const status = await open(`stream.onStatus?input=${input({ username: "closer" })}`);
      await chat((text) => text.includes("event: connected"));
      await status((text) => text.includes("Closing time"));
      await server.app.close();
      expect(await chat(() => false)).toMatch(/event: return\ndata: \n\n\n?$/);
      expect(await status(() => false)).toMatch(/event: return\ndata: \n\n\n?$/);
    });
  }
});
