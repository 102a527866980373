/**
 * Prisma CLI configuration (migrate, generate, studio). Loaded only by the CLI.
 *
 * Prisma's native engines cannot be downloaded on our machines, so the CLI runs
 * the Wasm schema engine through @prisma/adapter-pg. Three small patches make
 * adapter-pg 6.19.3 work for migrations; each is explained where it is made.
 * With no DATABASE_URL the CLI uses (or starts) the same embedded PostgreSQL
 * the app uses. See docs/decisions/0002-prisma-offline.md.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

if (existsSync(".env")) process.loadEnvFile(".env");

// With a config file the CLI would otherwise fall back to downloading the native
// engine whenever it cannot read the schema, hiding the real error behind ENOTFOUND.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= path.resolve("node_modules/.prisma/no-native-engine");

const configuredUrl = process.env.DATABASE_URL;
// The 6.19 schema parser needs the variable; the adapter below decides the real target.
process.env.DATABASE_URL ??= "postgresql://embedded.invalid/amends";

// Patch 1 (prisma/orm#27403): the schema engine reads pg_catalog columns of type
// `name` (oid 19) and `"char"` (oid 18), which adapter-pg cannot map. They are text.
type FieldDescription = { dataTypeID: number };
const resultPrototype = pg.Result.prototype as unknown as { addFields(fields: FieldDescription[]): void };
const addFields = resultPrototype.addFields;
resultPrototype.addFields = function (fields: FieldDescription[]) {
  for (const field of fields) {
    if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = 25;
  }
  return addFields.call(this, fields);
};

// Patch 3: the Wasm engine arms 10-60 s timers that keep the CLI idling after it is done.
const setTimeoutOriginal = globalThis.setTimeout;
globalThis.setTimeout = ((handler: () => void, ms?: number, ...args: unknown[]) => {
  const timer = setTimeoutOriginal(handler, ms, ...args) as unknown as NodeJS.Timeout;
  if ((ms ?? 0) >= 10_000) timer.unref();
  return timer;
}) as typeof setTimeout;

async function databaseUrl(): Promise<string> {
  if (configuredUrl) return configuredUrl;
  const { startEmbeddedPostgres, createDatabase } = await import("./app/db/embedded-postgres.server");
  const server = await startEmbeddedPostgres({
    dataDir: process.env.EMBEDDED_DB_DIR ?? ".data/postgres",
    unref: true,
  });
  await createDatabase(server.url("postgres"), "amends");
  return server.url("amends");
}

/** Patch 2: adapter-pg's shadow database connects to the main database and drops the shadow before closing its pool. */
class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly connectionString: string) {
    super({ connectionString, allowExitOnIdle: true });
  }

  override async connectToShadowDb() {
    const admin = new pg.Client({ connectionString: this.connectionString });
    await admin.connect();
    const name = `prisma_shadow_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(this.connectionString);
    url.pathname = `/${name}`;
    const shadow = await new PrismaPg({ connectionString: url.toString(), allowExitOnIdle: true }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => new MigrationAdapterFactory(await databaseUrl()),
});
