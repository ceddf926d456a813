import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";

describe("stream.search: channels by username or title, live or not", () => {
  let kit: TestKit;
  let alice: SignedUp;
  let alina: SignedUp;
  let alibi: SignedUp;
  let bob: SignedUp;
  const tag = uniqueName("s").replace(/_/g, "");

  beforeAll(async () => {
    kit = await createTestKit();
    alice = await kit.makeCreator(`ali${tag}ce`);
    alina = await kit.makeCreator(`ali${tag}na`);
    alibi = await kit.makeCreator(`ali${tag}bi`);
    bob = await kit.makeCreator(`bob${tag}`);
    await bob.caller.stream.upsert({ title: `Cooking with ali${tag} tonight` });
    // alina has followers, alibi is live, alice is offline with none.
    for (let i = 0; i < 2; i++) {
      const fan = await kit.signUp({ username: uniqueName("fan") });
      await fan.caller.follow.follow({ username: alina.user.username! });
    }
    await alibi.caller.stream.goLive();
  });
  afterAll(() => kit?.close());

  it("finds offline channels by username prefix and by title; live first, then by followers, then by name", async () => {
    const { items, nextCursor } = await kit.anonymous.stream.search({ query: `ALI${tag}` });
    expect(items.map((s) => s.username)).toEqual([alibi.user.username, alina.user.username, alice.user.username, bob.user.username]);
    expect(items[0]!.isLive).toBe(true);
    expect(items[1]!.followerCount).toBe(2);
    expect(nextCursor).toBeNull();
    expect((await kit.anonymous.stream.search({ query: `with ali${tag}` })).items.map((s) => s.username)).toEqual([bob.user.username]);
    expect((await kit.anonymous.stream.search({ query: `nothing${tag}` })).items).toEqual([]);
  });

  it("pages with a cursor; a literal % or _ matches only itself", async () => {
    const first = await kit.anonymous.stream.search({ query: `ali${tag}`, limit: 3 });
    expect(first.items).toHaveLength(3);
    const rest = await kit.anonymous.stream.search({ query: `ali${tag}`, limit: 3, cursor: first.nextCursor });
    expect(rest.items.map((s) => s.username)).toEqual([bob.user.username]);
    expect(rest.nextCursor).toBeNull();
    expect((await kit.anonymous.stream.search({ query: "%" })).items).toEqual([]);
  });

  it("an empty or over-long query is BAD_REQUEST naming query", async () => {
    for (const query of ["", "   ", "x".repeat(101)]) {
      const error = await trpcError(kit.anonymous.stream.search({ query }));
      expect(error.code).toBe("BAD_REQUEST");
    }
  });
});
