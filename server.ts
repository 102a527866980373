/**
 * The web process: prepares the database (embedded PostgreSQL when
 * DATABASE_URL is unset), serves the Remix app (Vite middleware in
 * development, the built server in production) and, when WORKER_IN_WEB, runs
 * the job worker in the same process.
 */
import type { ServerBuild } from "@remix-run/node";
import express, { type Express } from "express";
import { existsSync } from "node:fs";
import { createServer, type Server, type ServerOptions as HttpServerOptions } from "node:http";
import type pg from "pg";
import type { Runner } from "graphile-worker";
import { createPool } from "./app/db/pool.server";
import { exitOnSignalsWhileStarting } from "./app/db/embedded-postgres.server";
import { prepareDatabase } from "./app/db/prepare.server";
import { env, type Env } from "./app/env.server";
import { remixHandler } from "./app/http/remix-handler.server";
import { readRequestBodies } from "./app/http/request-bodies.server";
import { installSafetyNet } from "./app/http/safety-net.server";
import { logger } from "./app/logger.server";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  port?: number;
  /** Mount extra middleware before the Remix handler (the demo's sign-in and control panel). */
  configure?: (app: Express) => void;
  /**
   * Called once the database server is up and before migrations run, with the app database's URL
   * (the demo replaces its database with a copy of a cached history here).
   */
  beforeMigrate?: (url: string) => Promise<void>;
  /**
   * Called once the server listens and before the in-process job worker starts, with the server's
   * URL (the demo replays its history through the running app here, draining jobs itself).
   */
  beforeWorker?: (url: string) => Promise<void>;
}

/**
 * Limits against slow clients (slowloris): the headers within HEADERS_TIMEOUT_MS and the whole
 * request within REQUEST_TIMEOUT_MS, checked every second rather than Node's default 30 s; then 408
 * and the connection closed. Idle keep-alive connections last 65 s (Shopify reuses them between
 * deliveries; longer than the usual load balancer's 60 s, so the balancer closes first).
 */
export function httpServerOptions(config: Pick<Env, "HEADERS_TIMEOUT_MS" | "REQUEST_TIMEOUT_MS">): HttpServerOptions {
  return {
    headersTimeout: config.HEADERS_TIMEOUT_MS,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: 1_000,
    keepAliveTimeout: 65_000,
  };
}

export async function startServer(overrides: ServerOptions = {}): Promise<RunningServer> {
  const config = env();
  const production = config.NODE_ENV === "production";
  installSafetyNet();
  const database = await prepareDatabase(overrides.beforeMigrate ? { beforeMigrate: overrides.beforeMigrate } : {});

  const app = express();
  app.disable("x-powered-by");
  // First: every body is read in full and within the cap before anything routes it.
  app.use(readRequestBodies({ maxBytes: config.MAX_REQUEST_BODY_BYTES }));
  // Then Shopify's deliveries, in front of Remix and Vite: verified, group-committed, answered (decision 0023).
  const { webhookIngestHandler } = await import("./app/http/webhook-ingest.server");
  app.all("/webhooks", webhookIngestHandler());

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let closeVite = async () => {};
  if (production) {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(express.static("build/client", { maxAge: "1h" }));
    // @ts-expect-error -- produced by `npm run build`
    build = (await import("./build/server/index.js")) as ServerBuild;
  } else {
    const vite = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
    app.use(vite.middlewares);
    build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    closeVite = () => vite.close();
  }
  overrides.configure?.(app);
  app.all("*", remixHandler({ build, mode: production ? "production" : "development" }));

  const port = overrides.port ?? config.PORT;
  const server: Server = createServer(httpServerOptions(config), app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, config.HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Once listening, a server error (accept() failing with EMFILE under a connection flood) is logged, not fatal.
  server.on("error", (error) => logger.error({ err: error.message }, "HTTP server error"));

  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  const url = `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${boundPort}`;
  await overrides.beforeWorker?.(url);

  let workerPool: pg.Pool | undefined;
  let runner: Runner | undefined;
  if (config.WORKER_IN_WEB) {
    // Loaded once the environment is read (.env included): the task list reaches app/shopify.server,
    // which configures the Shopify library from it as it loads.
    const { startWorker } = await import("./app/jobs/worker.server");
    workerPool = createPool(database.url, config.WORKER_CONCURRENCY + 2, "worker");
    runner = await startWorker({
      pgPool: workerPool,
      concurrency: config.WORKER_CONCURRENCY,
      pollInterval: config.WORKER_POLL_INTERVAL_MS,
    });
  }

  logger.info({ url, mode: config.NODE_ENV, workerInWeb: config.WORKER_IN_WEB }, "Amends is running");

  return {
    url,
    async close() {
      // Stop accepting, drop idle keep-alive connections now, and give requests in flight 5 s.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      });
      // A runner that already stopped by itself rejects stop(); the pool and the database still close.
      await runner
        ?.stop()
        .catch((error: unknown) => logger.warn({ err: String(error) }, "job runner had already stopped"));
      await workerPool?.end();
      await closeVite();
      const { disconnectDatabase } = await import("./app/db.server");
      await disconnectDatabase();
      await database.stop();
    },
  };
}

/** Stop cleanly on SIGINT/SIGTERM: finish requests and running jobs, then stop embedded PostgreSQL. */
export function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: String(error) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // A local .env (see .env.example); variables already set in the environment win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const handOverSignals = exitOnSignalsWhileStarting();
  startServer()
    .then((running) => {
      handOverSignals();
      stopOnSignals(running.close);
      console.log(`\n  Amends is running at ${running.url}\n`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
