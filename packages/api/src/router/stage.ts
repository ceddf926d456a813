import { acceptInvitation, declineInvitation, inviteGuest, leaveStage, listStage, removeGuest } from "../services/stage/stage";
import { stageInviteStream } from "../services/stage/stage-stream";
import { createTRPCRouter, creatorProcedure, protectedProcedure, publicProcedure } from "../trpc";
import { byUsernameInput } from "../validation";

/** The caller as the stage services name people. */
const person = (user: { id: string; username?: string | null }) => ({ id: user.id, username: user.username ?? "" });

/**
 * Guest on stage (issue 26): a live creator invites a viewer on camera (at most 3 at once). Inputs
 * name the other party: the guest for the creator's calls, the channel for the guest's.
 */
export const stageRouter = createTRPCRouter({
  /** The creator, while live: asks `username` on camera into the current broadcast. */
  invite: creatorProcedure.input(byUsernameInput).mutation(({ ctx, input }) => inviteGuest(ctx.db, person(ctx.user), input.username)),

  /** The caller's open invitations, then each new one and each withdrawal. */
  onInvite: protectedProcedure.subscription(({ ctx, signal }) => stageInviteStream(ctx.db, ctx.services.stage, ctx.user.id, signal)),

  /** The invited user (`username`: the channel): joins the stage; a LiveKit token for camera and microphone. */
  accept: protectedProcedure
    .input(byUsernameInput)
    .mutation(({ ctx, input }) => acceptInvitation(ctx.services, person(ctx.user), input.username)),

  decline: protectedProcedure
    .input(byUsernameInput)
    .mutation(({ ctx, input }) => declineInvitation(ctx.db, person(ctx.user), input.username)),

  /** The creator takes a guest off the stage (or withdraws the invitation): LiveKit refuses their tokens. */
  remove: creatorProcedure.input(byUsernameInput).mutation(({ ctx, input }) => removeGuest(ctx.services, person(ctx.user), input.username)),

  /** The guest steps off the channel's stage. */
  leave: protectedProcedure.input(byUsernameInput).mutation(({ ctx, input }) => leaveStage(ctx.services, person(ctx.user), input.username)),

  /** Anyone: the guests on the channel's stage now. */
  list: publicProcedure.input(byUsernameInput).query(({ ctx, input }) => listStage(ctx.db, input.username)),
});
