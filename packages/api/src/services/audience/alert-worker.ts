import { sql } from "drizzle-orm";
import { alertNextBatch } from "./alert-jobs";
import { sendQueuedAlertMails, type AlertMailOptions } from "./alert-mail";
import type { Logger } from "../livekit";

/** Done jobs and mails older than the longest limit (a day) are pruned this often. */
const PRUNE_EVERY_MS = 10 * 60_000;

export interface AlertWorker {
  /** Works until no job is pending and no mail is queued; what it did. Never runs twice at once. */
  drain(): Promise<{ notified: number; mailed: number }>;
  /** Stops after the batch or mail under way (the job's cursor keeps the rest for another run); resolves then. */
  stop(): Promise<void>;
}

/**
 * The go-live alert worker, one per instance (started with the server, like the sweeper): alerts
 * followers batch by batch (`alertNextBatch`), then sends the mails queued. Safe on many instances:
 * jobs and mails are claimed with `FOR UPDATE SKIP LOCKED`.
 */
export function createAlertWorker(options: AlertMailOptions & { log: Logger }): AlertWorker {
  const { db, log } = options;
  let running: Promise<{ notified: number; mailed: number }> | null = null;
  let prunedAt = 0;
  let stopped = false;

  async function work() {
    let notified = 0;
    while (!stopped) {
      const batch = await alertNextBatch(db);
      if (!batch) break;
      notified += batch.notified;
      if (batch.done) log.info({ alertJob: batch.jobId }, "go-live alerts written");
    }
    let mailed = 0;
    while (!stopped) {
      const sent = await sendQueuedAlertMails(options);
      if (sent === 0) break;
      mailed += sent;
    }
    if (!stopped && Date.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      // A job stays while its broadcast is open: media restarting in it never alerts twice.
      await db.execute(sql`delete from alert_job j where j.done_at < now() - interval '1 day'
                             and not exists (select 1 from broadcast b where b.id = j.broadcast_id and b.ended_at is null)`);
      await db.execute(sql`delete from alert_mail where sent_at is not null and created_at < now() - interval '1 day'`);
    }
    return { notified, mailed };
  }

  return {
    drain() {
      running ??= work().finally(() => (running = null));
      return running;
    },
    async stop() {
      stopped = true;
      await running?.catch(() => {});
    },
  };
}
