import { sql } from "drizzle-orm";
import { alertNextBatch } from "./alert-jobs";
import { sendQueuedAlertMails, type AlertMailOptions } from "./alert-mail";
import type { Logger } from "./livekit";

/** Done jobs and mails older than the longest limit (a day) are pruned this often. */
const PRUNE_EVERY_MS = 10 * 60_000;

export interface AlertWorker {
  /** Works until no job is pending and no mail is queued; what it did. Never runs twice at once. */
  drain(): Promise<{ notified: number; mailed: number }>;
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

  async function work() {
    let notified = 0;
    for (let batch = await alertNextBatch(db); batch; batch = await alertNextBatch(db)) {
      notified += batch.notified;
      if (batch.done) log.info({ alertJob: batch.jobId }, "go-live alerts written");
    }
    let mailed = 0;
    for (let sent = await sendQueuedAlertMails(options); sent > 0; sent = await sendQueuedAlertMails(options)) mailed += sent;
    if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      await db.execute(sql`delete from alert_job where done_at < now() - interval '1 day'`);
      await db.execute(sql`delete from alert_mail where sent_at is not null and created_at < now() - interval '1 day'`);
    }
    return { notified, mailed };
  }

  return {
    drain() {
      running ??= work().finally(() => (running = null));
      return running;
    },
  };
}
