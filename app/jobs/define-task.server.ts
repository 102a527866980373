/**
 * Wraps a job handler: strict payload parsing, a child logger with shop and
 * job, one snapshot of the shop's row for the job, and the terminal-or-retry decision in one place.
 */
import type { JobHelpers, Task } from "graphile-worker";
import { logger as rootLogger, type Logger } from "../logger.server";
import { withShopSnapshot } from "../models/shop-snapshot.server";
import { isTerminal } from "../queue/errors";
import { jobPayloads, type JobName, type JobPayload } from "../queue/payloads";
import { redactPersonalData } from "../recovery";

export interface TaskContext {
  log: Logger;
  helpers: JobHelpers;
  /** This is the job's last attempt: a failure now is final. */
  finalAttempt: boolean;
}

export interface TaskDefinition<N extends JobName> {
  run(payload: JobPayload<N>, ctx: TaskContext): Promise<void>;
  /** Called on every failure; `final` when the job stops for good (terminal error or last attempt). */
  onFailure?(payload: JobPayload<N>, error: unknown, final: boolean): Promise<void>;
}

export function defineTask<N extends JobName>(name: N, definition: TaskDefinition<N>): Task {
  return async (rawPayload, helpers) => {
    const parsed = jobPayloads[name].safeParse(rawPayload);
    if (!parsed.success) {
      // A malformed job can never succeed: log and complete it rather than retry.
      rootLogger.error(
        { job: name, jobId: helpers.job.id, issues: parsed.error.issues },
        "malformed job payload; dropped",
      );
      return;
    }
    const payload = parsed.data as JobPayload<N>;
    const log = rootLogger.child({
      job: name,
      jobId: helpers.job.id,
      shop: payload.shop,
      attempt: helpers.job.attempts,
    });
    const ctx: TaskContext = { log, helpers, finalAttempt: helpers.job.attempts >= helpers.job.max_attempts };
    try {
      // The job's shop row is read once and shared by its questions (shop-snapshot.server.ts).
      await withShopSnapshot(payload.shop, () => definition.run(payload, ctx));
    } catch (error) {
      const terminal = isTerminal(error);
      const message = redactPersonalData(error instanceof Error ? error.message : String(error));
      const final = terminal || ctx.finalAttempt;
      if (final) {
        log.error(
          { err: { message, code: (error as { code?: unknown }).code } },
          terminal ? "job failed terminally" : "job failed on its last attempt",
        );
      } else {
        log.warn({ err: { message } }, "job failed; will retry with backoff");
      }
      await definition.onFailure?.(payload, error, final);
      // A terminal failure completes the job (no retry); anything else goes back to graphile-worker's backoff,
      // which logs the message and stack and stores the message as the job's last_error: without
      // personal data (a mail server's refusal quotes the recipient's address).
      if (!terminal) throw withoutPersonalData(error);
    }
  };
}

/**
 * The same error (its class and fields kept for whoever catches it) with personal data taken out
 * of its message and stack; anything thrown that is not an Error becomes one.
 */
function withoutPersonalData(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(redactPersonalData(String(error)));
  for (const key of ["message", "stack"] as const) {
    const value = error[key];
    if (typeof value !== "string") continue;
    try {
      Object.defineProperty(error, key, { value: redactPersonalData(value), writable: true, configurable: true });
    } catch {
      // A frozen error keeps its text; the logger still redacts the line.
    }
  }
  return error;
}
