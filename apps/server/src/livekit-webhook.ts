import type { FastifyInstance } from "fastify";
import { WebhookReceiver } from "livekit-server-sdk";
import { applyLiveKitWebhook, type Services } from "@onair/api";

/**
 * POST /api/livekit/webhook: LiveKit's signed events. The raw body is verified against the
 * Authorization header (a JWT whose sha256 claim covers the body); anything unsigned or tampered
 * gets 401 and changes nothing.
 */
export async function registerLiveKitWebhook(app: FastifyInstance, services: Services) {
  const receiver = new WebhookReceiver(services.livekit.apiKey, services.livekit.apiSecret);
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      ["application/webhook+json", "application/json"],
      { parseAs: "string", bodyLimit: 256 * 1024 },
      (_request, body, done) => done(null, body),
    );
    scope.post("/api/livekit/webhook", async (request, reply) => {
      let event;
      try {
        event = await receiver.receive(typeof request.body === "string" ? request.body : "", request.headers.authorization);
      } catch (error) {
        request.log.warn({ reason: (error as Error).message }, "rejected LiveKit webhook");
        return reply.status(401).send({ error: "Unauthorized", message: "Invalid or missing webhook signature" });
      }
      const outcome = await applyLiveKitWebhook(services, event);
      return { outcome };
    });
  });
}
