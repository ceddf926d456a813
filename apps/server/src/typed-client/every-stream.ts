import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { createOnAirClient } from "@onair/client";
import { tapBoth, untilEach, type Tap } from "./stream-taps";
import { signUp } from "../testing";
import { until } from "./watch";

type Client = ReturnType<typeof createOnAirClient>;
type View = { username: string; title: string; isLive: boolean };
const asView = (event: Tap["events"][number]) => event.data as View;
const dataType = (event: Tap["events"][number]) => (event.data as { type?: string }).type;

/**
 * A creator's channel with every kind of live stream open on each instance, read both ways (raw SSE
 * and `@trpc/client`): chat (from id 0), status, the creator's activity and a Following list
 * (`onLiveChange`). `whileDeaf()` makes one change of each kind; `expectEachOnce()` checks that
 * every stream got each exactly once and in order, with no error, and is still open.
 */
export async function everyStream(urls: string[], admin: Client, prefix: string) {
  const [a] = urls as [string];
  const username = `${prefix}_host`;
  const hostToken = await signUp(a, username);
  const host = createOnAirClient({ url: a, token: hostToken });
  await host.creator.requestApproval.mutate();
  await admin.admin.approveCreator.mutate({ username });
  await host.stream.upsert.mutate({ title: "Before" });
  const fans = await Promise.all(
    ["fan", "pal", "late"].map(async (name) => createOnAirClient({ url: a, token: await signUp(a, `${prefix}_${name}`) })),
  );
  await fans[0]!.follow.follow.mutate({ username }); // on connecting, the studio lists it (recent)

  const chat = urls.flatMap((url) => tapBoth(url, "chat.onMessage", { username, lastEventId: "0" }));
  const status = urls.flatMap((url) => tapBoth(url, "stream.onStatus", { username }));
  const activity = urls.flatMap((url) => tapBoth(url, "stream.onActivity", undefined, hostToken));
  const following = urls.flatMap((url) => tapBoth(url, "stream.onLiveChange", { usernames: [username] }));
  const taps = [...chat, ...status, ...activity, ...following];

  // Every stream is open on the server once it has said something: status and activity at once,
  // chat with a first message, the Following list with a retitle (tried again until every list has one).
  await untilEach([...status, ...activity], (tap) => tap.events.length > 0);
  await fans[0]!.chat.send.mutate({ username, text: "before" });
  await untilEach(chat, (tap) => tap.events.length > 0);
  let retitles = 0;
  await until(async () => {
    if (following.every((tap) => tap.events.length > 0)) return true;
    await host.stream.upsert.mutate({ title: `Before ${++retitles}` });
    await until(() => following.every((tap) => tap.events.length > 0), 2_000).catch(() => {});
    return false;
  }, 30_000);
  const primed = new Map(taps.map((tap) => [tap, tap.events.length]));
  const catalog = await fans[1]!.gift.catalog.query();

  return {
    taps,
    /** One change of each kind: two messages, a retitle, a follow, going live, a gift (also a chat entry). */
    async whileDeaf() {
      // One sender per message: a user may send one a second.
      await fans[1]!.chat.send.mutate({ username, text: "missed by a fan" });
      await host.chat.send.mutate({ username, text: "missed by the host" });
      await host.stream.upsert.mutate({ title: "While deaf" });
      await fans[1]!.follow.follow.mutate({ username });
      await host.stream.goLive.mutate();
      await fans[1]!.gift.send.mutate({ username, giftId: catalog[0]!.id, idempotencyKey: randomUUID() });
    },
    /** A message once the bus hears again: streams carry on after catching up. */
    async after() {
      await fans[2]!.chat.send.mutate({ username, text: "after" });
    },
    /** `quiet`: nothing reached the streams while the bus was deaf, so each caught-up change comes exactly once. */
    async expectEachOnce({ quiet }: { quiet: boolean }) {
      const { items } = await host.chat.history.query({ username, limit: 50 });
      expect(items.map((m) => m.text)).toEqual([
        "before",
        "missed by a fan",
        "missed by the host",
        expect.stringMatching(/^sent a /),
        "after",
      ]);
      const ids = items.map((m) => m.id);
      const messageIds = (tap: Tap) => tap.events.filter((e) => dataType(e) === "message").map((e) => (e.data as { id: number }).id);
      await untilEach(chat, (tap) => messageIds(tap).length >= ids.length);
      for (const tap of chat) expect(messageIds(tap), tap.label).toEqual(ids);

      const final = (view: View) => view.title === "While deaf" && view.isLive;
      await untilEach([...status, ...following], (tap) => tap.events.some((e) => final(asView(e))));
      const gift = (tap: Tap) => tap.events.some((e) => dataType(e) === "gift");
      const follows = (tap: Tap) =>
        tap.events.filter((e) => dataType(e) === "follow" && (e.data as { username?: string }).username === `${prefix}_pal`);
      await untilEach(activity, (tap) => gift(tap) && follows(tap).length > 0);

      for (const tap of taps) {
        expect(tap.errors, tap.label).toEqual([]);
        expect(tap.ended(), tap.label).toBe(false);
      }
      for (const tap of [...status, ...following]) {
        const views = tap.events.slice(primed.get(tap)).map(asView);
        expect(views.filter(final), tap.label).toHaveLength(1);
        if (quiet) expect(views, tap.label).toEqual([expect.objectContaining({ title: "While deaf", isLive: true })]);
      }
      for (const tap of activity) {
        const seen = tap.events.map((e) => (e.data as { id: string }).id);
        expect(new Set(seen).size, tap.label).toBe(seen.length);
        expect(follows(tap), tap.label).toHaveLength(1);
        if (quiet) expect(tap.events.slice(primed.get(tap)).map(dataType), tap.label).toEqual(["follow", "gift"]);
      }
    },
    stop: () => taps.forEach((tap) => tap.stop()),
  };
}
