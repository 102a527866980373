/**
 * A job worker as its own process, for tests that kill a worker for real.
 * AMENDS_TEST_STALL=1: the first delivery stalls just before its transaction
 * commits (all its writes made) and the process prints STALLED.
 */
import { createPool } from "../../app/db/pool.server";
import { startWorker } from "../../app/jobs/worker.server";
import { processingHooks } from "../../app/services/webhook-processing.server";

if (process.env.AMENDS_TEST_STALL === "1") {
  processingHooks.beforeCommit = () => {
    process.stdout.write("STALLED\n");
    return new Promise(() => {});
  };
}
const pool = createPool(process.env.DATABASE_URL ?? "", 4, "test-worker-process");
await startWorker({ pgPool: pool, concurrency: 1, pollInterval: 100 });
process.stdout.write("READY\n");
