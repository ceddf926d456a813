import type { FastifyInstance } from "fastify";
import { createAlertWorker, unsubscribeByToken, UNSUBSCRIBE_PATH, type Services } from "@onair/api";
import type { SendMail } from "./mail";

export interface AlertOptions {
  /** How mail leaves (createMailer); undefined: mail is off. */
  send: SendMail | undefined;
  publicUrl: string;
  /** Signs the unsubscribe links (BETTER_AUTH_SECRET). */
  secret: string;
  /** How often the worker looks for go-live jobs and queued mail; 0: never (tests drive it). */
  intervalMs: number;
}

const page = (message: string, form = "") =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>OnAir alerts</title></head><body><main><h1>OnAir</h1><p>${message}</p>${form}</main></body></html>`;

/**
 * The go-live alert worker (started with the server, like the sweeper; safe on many instances), and
 * the one-click unsubscribe (RFC 8058): `POST /api/alerts/unsubscribe?token=…` turns that follow's
 * email alerts off without signing in; GET shows a button that does the same POST (link scanners
 * that follow GETs unsubscribe no one). A token not signed by this server is a 400.
 */
export async function registerAlerts(app: FastifyInstance, services: Services, options: AlertOptions) {
  const worker = createAlertWorker({
    db: services.db,
    send: options.send,
    publicUrl: options.publicUrl,
    secret: options.secret,
    log: app.log,
  });
  if (options.intervalMs > 0) {
    const timer = setInterval(() => {
      worker.drain().catch((error: unknown) => app.log.error({ err: error }, "go-live alerts failed"));
    }, options.intervalMs);
    timer.unref();
    // Closing: no new run, and the batch under way commits (or fails) before the database closes.
    app.addHook("onClose", async () => {
      clearInterval(timer);
      await worker.stop();
    });
  }

  await app.register(async (scope) => {
    // Mail clients post `List-Unsubscribe=One-Click` as a form; the token is in the URL.
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 1024 }, (_request, body, done) =>
      done(null, body),
    );
    scope.get<{ Querystring: { token?: string } }>(UNSUBSCRIBE_PATH, async (request, reply) => {
      const token = String(request.query.token ?? "");
      const form = `<form method="post" action="${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}"><button type="submit">Stop go-live mail</button></form>`;
      return reply.type("text/html; charset=utf-8").send(page("Stop getting mail when this channel goes live?", form));
    });
    scope.post<{ Querystring: { token?: string } }>(UNSUBSCRIBE_PATH, async (request, reply) => {
      const outcome = await unsubscribeByToken(services.db, options.secret, String(request.query.token ?? ""));
      if (outcome === "invalid") {
        return reply.status(400).type("text/html; charset=utf-8").send(page("This unsubscribe link is not valid."));
      }
      return reply.type("text/html; charset=utf-8").send(page("Done: no more mail when this channel goes live."));
    });
  });
  return worker;
}
