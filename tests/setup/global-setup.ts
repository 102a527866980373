/**
 * One embedded PostgreSQL server per test run, with a template database
 * migrated once (Prisma migrations and graphile-worker's schema). Each test
 * file gets its own copy of the template (see per-file.ts).
 */
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDatabase, startEmbeddedPostgres } from "../../app/db/embedded-postgres.server";

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplate: string;
  }
}

const TEMPLATE = "amends_template";

export default async function setup(project: TestProject) {
  const parent = mkdtempSync(path.join(tmpdir(), "amends-test-"));
  // Run as root, the server runs as the `postgres` user, which must reach the folder.
  chmodSync(parent, 0o755);
  const dataDir = path.join(parent, "pg");
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
  await createDatabase(server.url("postgres"), TEMPLATE);
  process.env.DATABASE_URL = server.url(TEMPLATE);
  const { migrate } = await import("../../app/db/prepare.server");
  await migrate(server.url(TEMPLATE));
  project.provide("pgServerUrl", server.url("postgres"));
  project.provide("pgTemplate", TEMPLATE);
  return async () => {
    await server.stop();
  };
}
