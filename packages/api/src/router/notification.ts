import { z } from "zod";
import { listNotifications, markNotificationsRead } from "../services/audience/notifications";
import { notificationStream } from "../services/audience/notification-stream";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const notificationId = z.string().regex(/^\d{1,18}$/, "a notification id");

export const notificationRouter = createTRPCRouter({
  /** The caller's notifications, newest first, and how many are unread. */
  list: protectedProcedure
    .input(z.object({ cursor: notificationId.nullish(), limit: z.number().int().min(1).max(50).default(20) }).default({ limit: 20 }))
    .query(({ ctx, input }) => listNotifications(ctx.db, ctx.user.id, input)),

  /** Each new notification for the caller, tracked by id; with `lastEventId` what came after it first. */
  onNew: protectedProcedure
    .input(z.object({ lastEventId: notificationId.nullish() }).optional())
    .subscription(({ ctx, input, signal }) =>
      notificationStream(ctx.db, ctx.services.notifications, ctx.user.id, input?.lastEventId ? Number(input.lastEventId) : null, signal),
    ),

  /** Marks the caller's own notifications read (`ids`, or all): `{ unread }` after it. */
  markRead: protectedProcedure
    .input(z.object({ ids: z.array(notificationId).max(100).optional() }).optional())
    .mutation(async ({ ctx, input }) => ({ unread: await markNotificationsRead(ctx.db, ctx.user.id, input?.ids) })),
});
