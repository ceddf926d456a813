import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stream, type DatabaseHandle } from "@onair/db";
import { createTRPCContext } from "../../context";
import { appRouter } from "../../root";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../../test/helpers";
import { createCallerFactory } from "../../trpc";
import { publishStreamChange } from "./events";
import { createServices, silentLogger, stopServices, type Services } from "../index";

/** The viewer-join storm's reads come from memory (read-cache.ts); every change must still show at once. */

let kit: TestKit;
let creator: SignedUp;
let viewer: SignedUp;
let name: string;

beforeAll(async () => {
  kit = await createTestKit();
  name = uniqueName("cached");
  creator = await kit.makeCreator(name);
  viewer = await kit.signUp({ username: uniqueName("watcher") });
});
afterAll(() => kit?.close());

const setTitleBehindTheAppsBack = (title: string) => kit.db.update(stream).set({ title }).where(eq(stream.userId, creator.user.id));

describe("the read cache", () => {
  it("serves a channel's view from memory, and drops it on the channel's NOTIFY", async () => {
    await creator.caller.stream.upsert({ title: "Morning show" });
    expect((await kit.anonymous.stream.byUsername({ username: name })).title).toBe("Morning show");
    await setTitleBehindTheAppsBack("Changed by plain SQL");
    expect((await kit.anonymous.stream.byUsername({ username: name })).title).toBe("Morning show");
    await publishStreamChange(kit.db, name);
    expect((await kit.anonymous.stream.byUsername({ username: name })).title).toBe("Changed by plain SQL");
  });

  it("shows every change the app makes at once: title, chat settings, followers, going live", async () => {
    const view = () => kit.anonymous.stream.byUsername({ username: name });
    await view();
    await creator.caller.stream.upsert({ title: "Evening show" });
    expect((await view()).title).toBe("Evening show");
    await creator.caller.stream.updateChatSettings({ isChatDelayed: true });
    expect((await view()).isChatDelayed).toBe(true);
    const before = (await view()).followerCount;
    await viewer.caller.follow.follow({ username: name });
    expect((await view()).followerCount).toBe(before + 1);
    await creator.caller.stream.goLive();
    expect((await view()).isLive).toBe(true);
    await creator.caller.stream.end();
    expect((await view()).isLive).toBe(false);
  });

  it("viewer tokens follow go-live, end, blocks and lifts at once", async () => {
    const token = () => viewer.caller.stream.token({ username: name });
    expect((await trpcError(token())).code).toBe("PRECONDITION_FAILED");
    const first = await creator.caller.stream.goLive();
    expect((await token()).roomName).toBe(first.roomName);
    await creator.caller.moderation.timeout({ channel: name, username: viewer.user.username!, minutes: 5 });
    expect((await token()).canChat).toBe(false);
    await creator.caller.moderation.block({ channel: name, username: viewer.user.username! });
    expect((await trpcError(token())).code).toBe("FORBIDDEN");
    expect((await kit.anonymous.stream.token({ username: name })).identity).toMatch(/^guest-/);
    await creator.caller.moderation.unban({ channel: name, username: viewer.user.username! });
    expect(await token()).toMatchObject({ roomName: first.roomName, canChat: true });
    await creator.caller.stream.end();
    expect((await trpcError(token())).code).toBe("PRECONDITION_FAILED");
    const second = await creator.caller.stream.goLive();
    expect(second.roomName).not.toBe(first.roomName);
    expect((await token()).roomName).toBe(second.roomName);
  });

  it("a channel with more restrictions than it keeps as a list still answers per viewer", async () => {
    const crowded = await kit.makeCreator(uniqueName("crowded"));
    const streamId = (await kit.db.select({ id: stream.id }).from(stream).where(eq(stream.userId, crowded.user.id)))[0]!.id;
    await kit.db.execute(sql`
      insert into "user" (id, name, email, username) select 'banned-' || i, 'b', 'banned' || i || '@example.com', 'banned_' || i from generate_series(1, 1001) as i`);
    await kit.db.execute(
      sql`insert into channel_restriction (stream_id, user_id, kind) select ${streamId}, 'banned-' || i, 'ban' from generate_series(1, 1001) as i`,
    );
    expect(await kit.services.cache.restriction(streamId, "banned-7")).toMatchObject({ kind: "ban" });
    expect(await kit.services.cache.restriction(streamId, viewer.user.id)).toBeNull();
    await crowded.caller.moderation.block({ channel: crowded.user.username!, username: viewer.user.username! });
    expect(await kit.services.cache.restriction(streamId, viewer.user.id)).toMatchObject({ kind: "block" });
  });

  // A caller keeps its context (and the session it looked up) for good: each request here gets a new one.
  it("forgets a session at sign-out, and a renamed account's old channel name", async () => {
    const member = await kit.makeCreator(uniqueName("renamer"));
    const oldName = member.user.username!;
    const me = () => kit.caller(member.headers).account.me();
    expect((await me()).username).toBe(oldName);
    expect((await kit.anonymous.stream.byUsername({ username: oldName })).username).toBe(oldName);
    const newName = uniqueName("renamed");
    await kit.auth.api.updateUser({ headers: member.headers, body: { username: newName } });
    expect((await me()).username).toBe(newName);
    expect((await trpcError(kit.anonymous.stream.byUsername({ username: oldName }))).code).toBe("NOT_FOUND");
    expect((await kit.anonymous.stream.byUsername({ username: newName })).username).toBe(newName);
    await kit.auth.api.signOut({ headers: member.headers });
    expect((await trpcError(me())).code).toBe("UNAUTHORIZED");
  });

  describe("across instances sharing the database", () => {
    let second: DatabaseHandle;
    let services: Services;
    const onB = (headers = new Headers()) =>
      createCallerFactory(appRouter)(createTRPCContext({ headers, db: second.db, auth: kit.auth, services }));
    beforeAll(async () => {
      second = kit.handle.kind === "postgres" ? (kit.handle as unknown as { openAnother(): DatabaseHandle }).openAnother() : kit.handle;
      services = await createServices({ handle: second, livekit: kit.livekit, log: silentLogger });
    });
    afterAll(async () => {
      await stopServices(services);
      if (second !== kit.handle) await second.close();
    });

    /**
     * NOTIFY reaches the other instance a moment after the writer's call returns: B is read until it
     * shows the change (polling; the deadline is generous, only a lost notification should hit it).
     */
    async function eventually<T>(read: () => Promise<T>, ok: (value: T | Error) => boolean): Promise<T | Error> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const value = await read().catch((error: Error) => error);
        if (ok(value) || Date.now() > deadline) return value;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const code = (value: unknown) => (value as { code?: string }).code;

    it("a change made on A reaches B's cache: view, live room, restriction, session", async () => {
      expect((await onB().stream.byUsername({ username: name })).title).toBeTruthy();
      await creator.caller.stream.upsert({ title: "Announced to every instance" });
      const view = await eventually(
        () => onB().stream.byUsername({ username: name }),
        (v) => (v as { title?: string }).title === "Announced to every instance",
      );
      expect(view).toMatchObject({ title: "Announced to every instance" });

      const token = () => onB(viewer.headers).stream.token({ username: name });
      const room = (await token()).roomName;
      await creator.caller.moderation.block({ channel: name, username: viewer.user.username! });
      expect(code(await eventually(token, (v) => code(v) === "FORBIDDEN"))).toBe("FORBIDDEN");
      await creator.caller.moderation.unban({ channel: name, username: viewer.user.username! });
      expect(await eventually(token, (v) => !(v instanceof Error))).toMatchObject({ roomName: room });
      await creator.caller.stream.end();
      expect(code(await eventually(token, (v) => code(v) === "PRECONDITION_FAILED"))).toBe("PRECONDITION_FAILED");
      const live = await creator.caller.stream.goLive();
      expect(live.roomName).not.toBe(room);
      expect(await eventually(token, (v) => (v as { roomName?: string }).roomName === live.roomName)).toMatchObject({
        roomName: live.roomName,
      });

      const me = () => onB(viewer.headers).account.me();
      expect((await me()).username).toBe(viewer.user.username);
      await kit.auth.api.signOut({ headers: viewer.headers });
      expect(code(await eventually(me, (v) => code(v) === "UNAUTHORIZED"))).toBe("UNAUTHORIZED");
    });
  });
});
