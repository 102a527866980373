/**
 * A standalone job worker (production: run as many of these as the load needs,
 * against the same DATABASE_URL as the web processes).
 */
import { existsSync } from "node:fs";
import { createPool } from "../app/db/pool.server";
import { exitOnSignalsWhileStarting } from "../app/db/embedded-postgres.server";
import { prepareDatabase } from "../app/db/prepare.server";
import { env } from "../app/env.server";
import { installSafetyNet } from "../app/http/safety-net.server";
import { logger } from "../app/logger.server";

// A local .env (see .env.example); variables already set in the environment win.
if (existsSync(".env")) process.loadEnvFile(".env");
const config = env();
installSafetyNet();
// A signal before the runner handles its own ends the process through its exit hooks (an embedded database stops).
const handOverSignals = exitOnSignalsWhileStarting();
// The web process owns migrations; a worker only needs the database reachable.
const database = await prepareDatabase({ migrate: false });
const pool = createPool(database.url, config.WORKER_CONCURRENCY + 2, "worker");
// Loaded after .env: the task list reaches app/shopify.server, which reads the environment as it loads.
const { startWorker } = await import("../app/jobs/worker.server");
const runner = await startWorker({
  pgPool: pool,
  concurrency: config.WORKER_CONCURRENCY,
  pollInterval: config.WORKER_POLL_INTERVAL_MS,
  handleSignals: true,
});
handOverSignals();
await runner.promise;
await pool.end();
const { disconnectDatabase } = await import("../app/db.server");
await disconnectDatabase();
await database.stop();
logger.info("worker stopped");
