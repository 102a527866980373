/**
 * Wraps a job handler: strict payload parsing, a child logger with shop and
 * job, and the terminal-or-retry decision in one place.
 */
import type { JobHelpers, Task } from "graphile-worker";
import { logger as rootLogger, type Logger } from "../logger.server";
import { isTerminal } from "../queue/errors";
import { jobPayloads, type JobName, type JobPayload } from "../queue/payloads";

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
      await definition.run(payload, ctx);
    } catch (error) {
      const terminal = isTerminal(error);
      const message = error instanceof Error ? error.message : String(error);
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
      // A terminal failure completes the job (no retry); anything else goes back to graphile-worker's backoff.
      if (!terminal) throw error;
    }
  };
}
