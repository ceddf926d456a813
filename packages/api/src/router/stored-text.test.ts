import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatMessage, giftTransaction, stream } from "@onair/db";
import { clientShape, createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";

/** A NUL or another control character in stored text is a 400 naming the field, and nothing is stored. */
describe("control characters in stored text", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let viewer: SignedUp;
  let admin: SignedUp;
  let channel: string;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("texty"));
    viewer = await kit.signUp({ username: uniqueName("typer") });
    admin = await kit.makeAdmin();
    channel = creator.user.username!;
    await creator.caller.stream.upsert({ title: "Clean title", description: "first line" });
    await creator.caller.stream.goLive();
  });
  afterAll(() => kit?.close());

  const expectRefused = async (call: Promise<unknown>, field: string) => {
    const error = await trpcError(call);
    expect(error.code, field).toBe("BAD_REQUEST");
    expect(clientShape(error).message, field).toMatch(new RegExp(`^${field}: must not contain control characters`));
  };
  const storedStream = async () => (await kit.db.select().from(stream).where(eq(stream.userId, creator.user.id)))[0]!;

  it("a title or description with NUL (or another control character) is BAD_REQUEST naming the field; nothing changes", async () => {
    for (const bad of ["Nul\u0000here", "bell\u0007", "esc\u001b[31m", "del\u007f", "c1\u0085"]) {
      await expectRefused(creator.caller.stream.upsert({ title: bad }), "title");
      await expectRefused(creator.caller.stream.upsert({ title: "ok", description: bad }), "description");
      await expectRefused(creator.caller.stream.goLive({ title: bad }), "title");
    }
    expect(await storedStream()).toMatchObject({ title: "Clean title", description: "first line" });
  });

  it("a description may hold newlines and tabs; a title may not hold a line break inside", async () => {
    await expectRefused(creator.caller.stream.upsert({ title: "two\nlines" }), "title");
    const saved = await creator.caller.stream.upsert({ title: "Clean title", description: "line one\nline two\n\tindented" });
    expect(saved.description).toBe("line one\nline two\n\tindented");
  });

  it("chat text, a gift message, a search query and a grant reason are held to the same rule", async () => {
    const messages = (await kit.db.select().from(chatMessage)).length;
    await expectRefused(viewer.caller.chat.send({ username: channel, text: "hi\u0000" }), "text");
    await expectRefused(
      viewer.caller.gift.send({ username: channel, giftId: "wave", idempotencyKey: "key-nul-0001", message: "x\u0000" }),
      "message",
    );
    await expectRefused(kit.anonymous.stream.search({ query: "a\u0000" }), "query");
    await expectRefused(kit.anonymous.stream.live({ query: "a\u0000" }), "query");
    await expectRefused(admin.caller.admin.grantCoins({ username: viewer.user.username!, amount: 5, reason: "why\u0000" }), "reason");
    expect((await kit.db.select().from(chatMessage)).length).toBe(messages);
    expect(await kit.db.select().from(giftTransaction)).toEqual([]);
    expect(await viewer.caller.wallet.balance()).toMatchObject({ balance: 100 });
  });
});
