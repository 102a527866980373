/**
 * The demo's 90+ days of history: a seeded world (sandbox/history/world.ts)
 * replayed through the running app, then cached as a PostgreSQL template
 * database beside a snapshot of the sandbox store, so later starts copy the
 * template (CREATE DATABASE ... TEMPLATE) instead of replaying again.
 *
 * The cache key covers the seed, the world's parameters and the code that
 * shapes the result: the migrations and every source file under app/ and
 * sandbox/. Change any of them and the next start replays afresh.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import type { Grid, GridCellInput } from "../app/recovery/grid/schema";
import type { WorldOptions } from "../sandbox/history/world";

/**
 * The demo shop's world: a busy season with more failures than a shop would like. A make-good's
 * persuasion depends on its kind (issue 16 part 8): store credit brings a customer back far more
 * often than a code, so the demo grid's experiment (demoGrid: a 15% code against $10 store credit)
 * has a true winner. Customers rate follow-ups by the world's default rating model: higher when a
 * make-good came fast.
 */
export function demoWorld(shop: string): WorldOptions {
  return {
    shop,
    seed: 2026,
    customers: 2_500,
    ordersPerDay: 7,
    // Long enough that the first 80 days of incidents have closed their 90-day windows: the
    // experiment's readout needs 100 matured incidents in its cells.
    days: 170,
    quietCarriers: true,
    rates: { lateFulfillment: 0.25, carrierDelay: 0.2, deliveryFailure: 0.05, refund: 0.1, cancellation: 0.06 },
    effect: 0.5,
    effectByKind: { discount: DEMO_ARM_EFFECTS.code, storeCredit: DEMO_ARM_EFFECTS.credit },
    churnAfterFailure: 0.25,
  };
}

/** The true persuasion chance of each arm of the demo's experiment (the world's effectByKind). */
export const DEMO_ARM_EFFECTS = { code: 0.2, credit: 0.75 } as const;

/** The two arms of the demo's experiment: a 15% code (arm A) against $10 store credit (arm B). */
export const DEMO_ARMS: NonNullable<GridCellInput["arms"]> = [
  {
    label: "15% code",
    offer: { kind: "DISCOUNT_PERCENT", value: 15, expiryDays: 45, approval: "AUTO", messageTemplateKey: "standard" },
  },
  {
    label: "$10 store credit",
    offer: { kind: "STORE_CREDIT", value: 1_000, expiryDays: 60, approval: "AUTO", messageTemplateKey: "standard" },
  },
];

/**
 * The demo shop's grid: the install grid (lifecycle playbooks) with
 * - one experiment (decision 0119) in every minor and moderate cell, the stage cells included
 *   (identical arms pool into one experiment, so it fills quickly and reads out within the history;
 *   per-type overrides, such as a small refund's apology, still win);
 * - the customer's preferred kind (decision 0114) in every major and critical cell: a code, or the
 *   same value in store credit for a customer who spends credit. Loyal and VIP customers get the
 *   code worth their install-grid credit, and the frequent-buyer perk cells of those rows give way
 *   to it: the customers who redeem credit are mostly repeat buyers, and a credit cell would never
 *   show their preference.
 */
export async function demoGrid(): Promise<Grid> {
  const { INSTALL_GRID, gridSchema, TIERS, LIFECYCLE_STAGES } = await import("../app/recovery");
  const input = structuredClone(INSTALL_GRID) as unknown as {
    cells: Record<string, Record<string, GridCellInput>>;
    stageOverrides: Record<string, Record<string, Record<string, GridCellInput> | undefined> | undefined>;
  };
  const withArms = (cell: GridCellInput): GridCellInput => ({ ...cell, arms: structuredClone(DEMO_ARMS) });
  for (const severity of ["minor", "moderate"] as const) {
    for (const tier of TIERS) input.cells[severity]![tier] = withArms(input.cells[severity]![tier]!);
    for (const stage of LIFECYCLE_STAGES) {
      const row = input.stageOverrides[stage]?.[severity];
      if (row) for (const tier of Object.keys(row)) row[tier] = withArms(row[tier]!);
    }
  }
  for (const severity of ["major", "critical"] as const) {
    for (const tier of TIERS) {
      const cell = input.cells[severity]![tier]! as GridCellInput & { value: number };
      const own = DEMO_PREFERRED[severity][tier];
      input.cells[severity]![tier] = {
        ...cell,
        kind: "DISCOUNT_PERCENT",
        value: own.codePercent,
        preferredKind: { STORE_CREDIT: own.creditMinor },
      } as GridCellInput;
    }
    const frequent = input.stageOverrides.FREQUENT;
    if (frequent) delete frequent[severity];
  }
  return gridSchema.parse(input);
}

/** The major and critical cells' make-goods: a code, or this much store credit for a customer who spends credit. */
export const DEMO_PREFERRED = {
  major: {
    NEW: { codePercent: 20, creditMinor: 1_500 },
    REGULAR: { codePercent: 20, creditMinor: 1_500 },
    LOYAL: { codePercent: 20, creditMinor: 2_000 },
    VIP: { codePercent: 25, creditMinor: 2_500 },
  },
  critical: {
    NEW: { codePercent: 25, creditMinor: 2_000 },
    REGULAR: { codePercent: 25, creditMinor: 2_000 },
    LOYAL: { codePercent: 25, creditMinor: 2_500 },
    VIP: { codePercent: 30, creditMinor: 3_000 },
  },
} as const;

/** The demo shop's lifecycle thresholds: 60 days without an order is lapsed, so five months show lapsed customers. */
export const DEMO_LIFECYCLE = { lapsedAfterDays: 60 } as const;

/** The holdout share the demo shop runs with (saved through the settings service). */
export const DEMO_HOLDOUT_SHARE = 0.3;

const HISTORY_DIR = ".data/demo-history";

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|tsx|sql|prisma|json)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

/** Key of the cached history: the world's parameters and a hash of the code that produces it. */
export function historyKey(world: WorldOptions, extra: unknown = null): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ world, extra }));
  const files = [
    ...["prisma", "app", "sandbox"].flatMap((dir) => sourceFiles(dir)),
    "scripts/demo-history.ts",
    "scripts/demo-replay.ts",
  ];
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

export const templateName = (key: string) => `amends_history_${key}`;

function serverUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

const databaseName = (databaseUrl: string) => decodeURIComponent(new URL(databaseUrl).pathname.slice(1));

/** What is kept beside the template: the store, where its clock stood, and the world's truth for the panel. */
export interface HistorySnapshot<T> {
  endedAt: Date;
  store: Buffer;
  truth: T;
}

const snapshotPath = (key: string) => path.join(HISTORY_DIR, `${key}.bin`);

/**
 * Before migrations: replace the app's database with a copy of the cached history if there is one
 * (returns the snapshot), else with an empty one to replay into.
 */
export async function prepareHistoryDatabase<T>(url: string, key: string): Promise<HistorySnapshot<T> | null> {
  const { createDatabase, dropDatabase } = await import("../app/db/embedded-postgres.server");
  const pg = await import("pg");
  const server = serverUrl(url);
  const client = new pg.default.Client({ connectionString: server });
  await client.connect();
  const found = await client
    .query("SELECT 1 FROM pg_database WHERE datname = $1", [templateName(key)])
    .finally(() => client.end());
  const cached = (found.rowCount ?? 0) > 0 && existsSync(snapshotPath(key));
  await dropDatabase(server, databaseName(url));
  await createDatabase(server, databaseName(url), cached ? templateName(key) : undefined);
  return cached ? (deserialize(readFileSync(snapshotPath(key))) as HistorySnapshot<T>) : null;
}

/** After a replay: keep the database as the template (the app's connections must be closed) and the snapshot beside it. */
export async function saveHistory<T>(url: string, key: string, snapshot: HistorySnapshot<T>): Promise<void> {
  const { createDatabase, dropDatabase } = await import("../app/db/embedded-postgres.server");
  const server = serverUrl(url);
  await dropDatabase(server, templateName(key));
  await createDatabase(server, templateName(key), databaseName(url));
  mkdirSync(HISTORY_DIR, { recursive: true });
  writeFileSync(snapshotPath(key), serialize(snapshot));
}
