import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Database } from "@onair/db";
import type { Context } from "./context";
import { getChannel } from "./services/live/channels";
import { channelRoleOf } from "./services/chat/chat-audience";
import { moderationSuspended, RetryAfter } from "./services/chat/chat-rules";
import { mayGoLive } from "./services/live/creators";
import { DATABASE_OUTAGE_MESSAGE, isDatabaseOutage } from "./services/shared/database-outage";
import { usernameInput } from "./validation";
import { describeZodError } from "./validation-messages";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Never send stack traces, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const validation = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? describeZodError(error.cause) : null;
    const message = validation
      ? validation.message
      : error.code === "INTERNAL_SERVER_ERROR"
        ? "Something went wrong on our side. Please try again."
        : shape.message;
    const data = {
      ...shape.data,
      /** With BAD_REQUEST from input validation: the messages per field ("title", "thumbnail", …). */
      fieldErrors: validation?.fieldErrors ?? null,
      /** With TOO_MANY_REQUESTS: how long to wait. */
      retryAfterSeconds: error.cause instanceof RetryAfter ? error.cause.seconds : null,
    };
    return { ...shape, message, data };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** A database outage answers 503 saying so (callers retry), not a 500; the log keeps the cause. */
const outageIs503 = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDatabaseOutage(result.error)) {
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_OUTAGE_MESSAGE, cause: result.error });
  }
  return result;
});

export const publicProcedure = t.procedure.use(outageIs503);

const signedIn = t.middleware(async ({ ctx, next }) => {
  const auth = await ctx.getSession();
  if (!auth) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this" });
  return next({ ctx: { user: auth.user, session: auth.session } });
});

async function requireCreator(db: Database, userId: string): Promise<void> {
  if (!(await mayGoLive(db, userId))) throw new TRPCError({ code: "FORBIDDEN", message: "Only approved creators can do this" });
}

/** Signed in: `ctx.user` and `ctx.session` are set. */
export const protectedProcedure = publicProcedure.use(signedIn);

/** An approved creator. */
export const creatorProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  await requireCreator(ctx.db, ctx.user.id);
  return next();
});

/**
 * An approved creator's liveness call (the heartbeat): every query on the database's liveness pool,
 * so it never waits for a connection behind a storm of gifts, chat or reads.
 */
export const livenessCreatorProcedure = publicProcedure
  .use(({ ctx, next }) => next({ ctx: { db: ctx.services.liveness } }))
  .use(signedIn)
  .use(async ({ ctx, next }) => {
    await requireCreator(ctx.db, ctx.user.id);
    return next();
  });

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can do this" });
  return next();
});

/**
 * The creator of the channel named by `input.channel`, or an admin: `ctx.channel` is that channel.
 * Settings, blocks and the moderator team. Procedures add their own fields to the input.
 */
export const channelOwnerProcedure = protectedProcedure.input(z.object({ channel: usernameInput })).use(async ({ ctx, input, next }) => {
  const channel = await getChannel(ctx.db, input.channel);
  if (channel.ownerId !== ctx.user.id && ctx.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only the channel's creator or an admin can do this" });
  }
  return next({ ctx: { channel, moderator: { id: ctx.user.id, username: ctx.user.username ?? "", channelRole: "owner" as const } } });
});

/**
 * The channel's creator, an admin, or a moderator the creator appointed: `ctx.channel` is the channel,
 * `ctx.moderator` who acts and how they stand in it. A moderator timed out, banned or blocked in the
 * channel may not moderate it until that is lifted (FORBIDDEN, read from the database on every call).
 */
export const channelModeratorProcedure = protectedProcedure
  .input(z.object({ channel: usernameInput }))
  .use(async ({ ctx, input, next }) => {
    const channel = await getChannel(ctx.db, input.channel);
    const channelRole = await channelRoleOf(ctx.services.cache, channel, ctx.user);
    if (!channelRole) {
      throw new TRPCError({ code: "FORBIDDEN", message: "Only the channel's creator, its moderators or an admin can moderate it" });
    }
    const suspended = channelRole === "moderator" ? await moderationSuspended(ctx.db, channel.id, ctx.user.id) : null;
    if (suspended) throw new TRPCError({ code: "FORBIDDEN", message: suspended });
    return next({ ctx: { channel, moderator: { id: ctx.user.id, username: ctx.user.username ?? "", channelRole } } });
  });
