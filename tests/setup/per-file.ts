/**
 * Runs before each test file: its own database (a copy of the migrated
 * template), msw listening before any app module is imported (the Shopify
 * library captures fetch at import), and failing on any unhandled request.
 */
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, inject } from "vitest";
import { createDatabase, dropDatabase } from "../../app/db/embedded-postgres.server";
import { mswServer } from "../helpers/msw";

mswServer.listen({ onUnhandledFrame: "error" });

const serverUrl = inject("pgServerUrl");
const databaseName = `test_${randomBytes(6).toString("hex")}`;
await createDatabase(serverUrl, databaseName, inject("pgTemplate"));
const url = new URL(serverUrl);
url.pathname = `/${databaseName}`;
process.env.DATABASE_URL = url.toString();

// A stray console.error is a bug somewhere: fail the test that caused it.
const consoleError = console.error;
console.error = (...args: unknown[]) => {
  consoleError(...args);
  throw new Error(`console.error was called: ${args.map(String).join(" ").slice(0, 500)}`);
};

afterEach(() => {
  mswServer.resetHandlers();
});

afterAll(async () => {
  mswServer.close();
  const { disconnectDatabase } = await import("../../app/db.server");
  await disconnectDatabase();
  await dropDatabase(serverUrl, databaseName);
});
