import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertJob, alertMail, notification, stream } from "@onair/db";
import { testDatabaseUrl } from "@onair/db/testing";
import { alertNextBatch, MAILS_PER_DAY } from "../services/audience/alert-jobs";
import { publishNotifications } from "../services/audience/notifications";
import type { NotificationStreamEvent } from "../services/audience/notification-stream";
import { addFollowers } from "../test/followers";
import { createTestKit, trpcError, uniqueName, type SignedUp, type TestKit } from "../test/helpers";
import { subscribe } from "../test/subscribe";

/** Runs the worker's batches until no job is pending (what the server's timer does). */
async function drainJobs(kit: TestKit) {
  let notified = 0;
  for (let batch = await alertNextBatch(kit.db); batch; batch = await alertNextBatch(kit.db)) notified += batch.notified;
  return notified;
}

async function jobsOf(kit: TestKit, streamOwner: SignedUp) {
  const [row] = await kit.db
    .select({ n: count() })
    .from(alertJob)
    .innerJoin(stream, eq(stream.id, alertJob.streamId))
    .where(eq(stream.userId, streamOwner.user.id));
  return row?.n ?? 0;
}

describe("go-live alerts", () => {
  let kit: TestKit;
  let creator: SignedUp;
  let fan: SignedUp;
  let quiet: SignedUp;

  beforeAll(async () => {
    kit = await createTestKit();
    creator = await kit.makeCreator(uniqueName("star"));
    fan = await kit.signUp({ username: uniqueName("fan") });
    quiet = await kit.signUp({ username: uniqueName("quiet") });
  });
  afterAll(() => kit?.close());

  it("follow.setAlerts: in-app on and email off by default, only while following, only signed in", async () => {
    const username = creator.user.username!;
    expect((await fan.caller.follow.status({ username })).alerts).toBeNull();
    const refused = await trpcError(fan.caller.follow.setAlerts({ username, inApp: true, email: true }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/Follow .* first/);
    expect((await trpcError(kit.anonymous.follow.setAlerts({ username, inApp: true, email: false }))).code).toBe("UNAUTHORIZED");
    expect((await trpcError(fan.caller.follow.setAlerts({ username: "nobody_here", inApp: true, email: false }))).code).toBe("NOT_FOUND");
    const bad = await trpcError(fan.caller.follow.setAlerts({ username, inApp: "yes" as unknown as boolean, email: false }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toMatch(/inApp/);

    await fan.caller.follow.follow({ username });
    await quiet.caller.follow.follow({ username });
    expect((await fan.caller.follow.status({ username })).alerts).toEqual({ inApp: true, email: false });
    expect(await fan.caller.follow.setAlerts({ username, inApp: true, email: true })).toEqual({ inApp: true, email: true });
    expect(await quiet.caller.follow.setAlerts({ username, inApp: false, email: false })).toEqual({ inApp: false, email: false });
    expect((await fan.caller.follow.status({ username })).alerts).toEqual({ inApp: true, email: true });
  });

  it("media first flowing queues one job per broadcast; the worker notifies in-app followers once, live on onNew", async () => {
    const username = creator.user.username!;
    const live = subscribe<NotificationStreamEvent>(kit, fan.headers, (caller) => caller.notification.onNew());
    const quietLive = subscribe<NotificationStreamEvent>(kit, quiet.headers, (caller) => caller.notification.onNew());
    await creator.caller.stream.goLive();
    expect(await jobsOf(kit, creator)).toBe(0); // open, no media yet: not live, nobody told
    await creator.caller.stream.heartbeat({ publishing: true });
    await creator.caller.stream.heartbeat({ publishing: false });
    await creator.caller.stream.heartbeat({ publishing: true }); // media stops and restarts: still one job
    expect(await jobsOf(kit, creator)).toBe(1);

    expect(await drainJobs(kit)).toBe(1); // fan only: quiet turned in-app off
    const event = await live.next((e) => "kind" in e, "the live notification");
    expect(event).toMatchObject({ kind: "live", channel: { username, title: `${username}'s stream` }, readAt: null });
    expect(await drainJobs(kit)).toBe(0);

    const list = await fan.caller.notification.list({});
    expect(list.unread).toBe(1);
    expect(list.items.map((i) => [i.id, i.kind, i.channel.username, i.readAt])).toEqual([
      [(event as { id: string }).id, "live", username, null],
    ]);
    expect(list.items[0]!.createdAt).toBeInstanceOf(Date);
    expect((await quiet.caller.notification.list()).items).toEqual([]);
    expect(quietLive.received).toEqual([]);
    // a resume with lastEventId replays what came after it
    const resumed = subscribe<NotificationStreamEvent>(kit, fan.headers, (caller) => caller.notification.onNew({ lastEventId: "0" }));
    await resumed.next((e) => "id" in e && e.id === list.items[0]!.id, "the replay");
    await Promise.all([live.stop(), quietLive.stop(), resumed.stop()]);
    await creator.caller.stream.end();
  });

  it("after a deaf bus onNew catches up from the table: what was written meanwhile arrives once", async () => {
    const newest = (await fan.caller.notification.list({ limit: 1 })).items[0]!.id;
    const live = subscribe<NotificationStreamEvent>(kit, fan.headers, (caller) => caller.notification.onNew({ lastEventId: newest }));
    const [channel] = await kit.db.select({ id: stream.id }).from(stream).where(eq(stream.userId, creator.user.id));
    const write = async () =>
      (await kit.db.insert(notification).values({ userId: fan.user.id, kind: "live", streamId: channel!.id }).returning())[0]!;
    // one announced as the worker does: once it arrives, the stream is past its start
    const heard = await write();
    const what = {
      kind: "live" as const,
      channel: { username: creator.user.username!, title: "t" },
      createdAt: heard.createdAt.toISOString(),
    };
    await publishNotifications(kit.db, what, [{ id: heard.id, userId: fan.user.id }]);
    await live.next((e) => "id" in e && e.id === String(heard.id), "the announced notification");
    // one written without its NOTIFY, as if the bus had lost it: the resync brings it, once
    const lost = await write();
    kit.services.notifications.resync();
    const caught = await live.next((e) => "id" in e && e.id === String(lost.id), "the notification the bus missed");
    expect(caught).toMatchObject({ kind: "live", channel: { username: creator.user.username } });
    kit.services.notifications.resync();
    // announced late (in one NOTIFY with a new one): the repeat is dropped, the new one arrives
    const next = await write();
    await publishNotifications(kit.db, what, [
      { id: lost.id, userId: fan.user.id },
      { id: next.id, userId: fan.user.id },
    ]);
    await live.next((e) => "id" in e && e.id === String(next.id), "the next notification");
    expect(live.received.map((e) => ("id" in e ? e.id : e.type))).toEqual([heard.id, lost.id, next.id].map(String));
    await live.stop();
    await kit.db.delete(notification).where(inArray(notification.id, [heard.id, lost.id, next.id]));
  });

  it("notification.list pages newest first; markRead marks only the caller's own", async () => {
    const [mine] = (await fan.caller.notification.list({ limit: 1 })).items;
    await quiet.caller.follow.setAlerts({ username: creator.user.username!, inApp: true, email: false });
    await creator.caller.stream.goLive();
    await creator.caller.stream.heartbeat({ publishing: true });
    await drainJobs(kit);
    await creator.caller.stream.end();
    const page1 = await fan.caller.notification.list({ limit: 1 });
    expect(page1.unread).toBe(2);
    expect(page1.nextCursor).toBe(page1.items[0]!.id);
    const page2 = await fan.caller.notification.list({ limit: 1, cursor: page1.nextCursor });
    expect(page2.items.map((i) => i.id)).toEqual([mine!.id]);
    expect(page2.nextCursor).toBeNull();

    const [theirs] = (await quiet.caller.notification.list()).items;
    expect(await fan.caller.notification.markRead({ ids: [theirs!.id] })).toEqual({ unread: 2 });
    expect((await quiet.caller.notification.list()).unread).toBe(1);
    expect(await fan.caller.notification.markRead({ ids: [mine!.id] })).toEqual({ unread: 1 });
    expect((await fan.caller.notification.list()).items.find((i) => i.id === mine!.id)?.readAt).toBeInstanceOf(Date);
    expect(await fan.caller.notification.markRead()).toEqual({ unread: 0 });
    expect((await trpcError(fan.caller.notification.markRead({ ids: ["x"] }))).code).toBe("BAD_REQUEST");
    expect((await trpcError(kit.anonymous.notification.list())).code).toBe("UNAUTHORIZED");
    expect((await trpcError(kit.anonymous.notification.markRead())).code).toBe("UNAUTHORIZED");
  });

  it("two workers claiming at once write each follower's alert exactly once", async () => {
    const star = await kit.makeCreator(uniqueName("crowd"));
    await addFollowers(kit.db, star.user.id, 120, uniqueName("f"));
    await star.caller.stream.goLive();
    await star.caller.stream.heartbeat({ publishing: true });
    const other = kit.handle.openAnother();
    const pending = async () => (await kit.db.select({ n: count() }).from(alertJob).where(isNull(alertJob.doneAt)))[0]!.n > 0;
    // Each worker goes on while a job is pending: when the other holds it, it finds none and tries again.
    const work = async (db: typeof kit.db) => {
      let notified = 0;
      let batches = 0;
      while (await pending()) {
        const batch = await alertNextBatch(db, 7);
        if (batch) [notified, batches] = [notified + batch.notified, batches + 1];
      }
      return { notified, batches };
    };
    try {
      const [a, b] = await Promise.all([work(kit.db), work(other.db)]);
      expect(a.notified + b.notified).toBe(120);
      // with PostgreSQL both really took batches of the same job (PGlite has one connection)
      if (testDatabaseUrl) expect(Math.min(a.batches, b.batches)).toBeGreaterThan(0);
      const [streamRow] = await kit.db.select({ id: stream.id }).from(stream).where(eq(stream.userId, star.user.id));
      const perUser = await kit.db
        .select({ userId: notification.userId, n: count() })
        .from(notification)
        .where(eq(notification.streamId, streamRow!.id))
        .groupBy(notification.userId);
      expect(perUser).toHaveLength(120);
      expect(perUser.every((row) => row.n === 1)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it("email alerts: one per channel per 12 hours, at most ten a day per follower", async () => {
    const reader = await kit.signUp({ username: uniqueName("reader") });
    const [first, second] = await Promise.all([kit.makeCreator(uniqueName("cha")), kit.makeCreator(uniqueName("chb"))]);
    for (const channel of [first, second]) {
      await reader.caller.follow.follow({ username: channel.user.username! });
      await reader.caller.follow.setAlerts({ username: channel.user.username!, inApp: false, email: true });
    }
    const mailsTo = async () => (await kit.db.select({ n: count() }).from(alertMail).where(eq(alertMail.userId, reader.user.id)))[0]!.n;
    const streamOf = async (channel: SignedUp) =>
      (await kit.db.select({ id: stream.id }).from(stream).where(eq(stream.userId, channel.user.id)))[0]!.id;
    const goLiveAndBack = async (channel: SignedUp) => {
      await channel.caller.stream.goLive();
      await channel.caller.stream.heartbeat({ publishing: true });
      await drainJobs(kit);
      await channel.caller.stream.end();
    };
    await goLiveAndBack(first);
    expect(await mailsTo()).toBe(1);
    await goLiveAndBack(first); // a new broadcast within 12 hours: no second mail
    expect(await mailsTo()).toBe(1);
    // eight more mails from the second channel earlier today, 13 hours ago: it may mail again (the tenth)
    const secondStream = await streamOf(second);
    await kit.db.execute(sql`insert into alert_mail (user_id, stream_id, created_at, sent_at)
      select ${reader.user.id}, ${secondStream}, now() - interval '13 hours', now() from generate_series(1, ${MAILS_PER_DAY - 2})`);
    await goLiveAndBack(second);
    expect(await mailsTo()).toBe(MAILS_PER_DAY);
    // 12 hours later the first channel may mail again, but the day's ten are spent
    await kit.db
      .update(alertMail)
      .set({ createdAt: sql`${alertMail.createdAt} - interval '13 hours'` })
      .where(and(eq(alertMail.userId, reader.user.id), eq(alertMail.streamId, await streamOf(first))));
    await goLiveAndBack(first);
    expect(await mailsTo()).toBe(MAILS_PER_DAY);
    expect((await reader.caller.notification.list()).items).toEqual([]); // in-app off: nothing in the bell
  });
});
