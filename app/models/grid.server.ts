/**
 * Compensation grid versions. Every save is a new version; a shop that never
 * saved one runs on INSTALL_GRID (the base DEFAULT_GRID with the lifecycle playbooks, decision
 * 0115), stored as version 1 the first time it is read so every offer can name the version that
 * produced it.
 */
import { Prisma } from "@prisma/client";
import { clock } from "../clock.server";
import { prisma, type Tx } from "../db.server";
import {
  INSTALL_GRID,
  gridSchema,
  nextGridVersion,
  RecoveryError,
  templateKeyIssues,
  type Grid,
  type GridVersion,
} from "../recovery";
import { diffGrids, type GridChange } from "../recovery/grid/diff";
import { GRID_AUDIT_ACTION } from "../recovery/guardrails/settings-authority";
import { recordAudit, type AuditActor } from "./audit.server";

function toVersion(row: { version: number; grid: unknown; createdAt: Date; createdBy: string }): GridVersion {
  return { version: row.version, grid: gridSchema.parse(row.grid), createdAt: row.createdAt, createdBy: row.createdBy };
}

async function latest(db: Tx, shop: string): Promise<GridVersion | null> {
  const row = await db.gridVersion.findFirst({ where: { shop }, orderBy: { version: "desc" } });
  return row ? toVersion(row) : null;
}

/** The shop's current grid; INSTALL_GRID becomes version 1 on first use (concurrent first uses agree). */
export async function currentGrid(shop: string, db: Tx = prisma): Promise<GridVersion> {
  const found = await latest(db, shop);
  if (found) return found;
  await db.gridVersion.createMany({
    data: [
      {
        shop,
        version: 1,
        grid: INSTALL_GRID as unknown as Prisma.InputJsonValue,
        createdBy: "system",
        createdAt: clock().now(),
      },
    ],
    skipDuplicates: true,
  });
  const created = await latest(db, shop);
  if (!created) throw new Error(`grid version 1 for ${shop} vanished`);
  return created;
}

/** A member saved the grid at least once (version 1 is written by the app on first use, as "system"). */
export async function gridSavedByStaff(shop: string): Promise<boolean> {
  const row = await prisma.gridVersion.findFirst({
    where: { shop, createdBy: { not: "system" } },
    select: { version: true },
  });
  return row !== null;
}

/** Someone saved another version after `base`, the version the edit started from. */
export class GridVersionConflict extends Error {
  constructor(readonly current: GridVersion) {
    super(`grid version ${current.version} was saved in the meantime`);
    this.name = "GridVersionConflict";
  }
}

/**
 * Save a grid as the next version. With `base` (the version an edit started from) it must become
 * exactly base + 1: a colleague's save that got there first is a GridVersionConflict, never silently
 * overwritten. Without it (a restore, a first save), two saves at once both land, one after the other.
 * With `actor`, the save is audited (the changed cells, before and after) in the same transaction.
 * A grid whose cells name a message template that does not exist is refused (UNKNOWN_TEMPLATE).
 */
export async function saveGrid(
  shop: string,
  grid: Grid,
  createdBy: string,
  options: { base?: GridVersion; actor?: AuditActor } = {},
): Promise<GridVersion> {
  const parsed = gridSchema.parse(grid);
  const [unknown] = templateKeyIssues(parsed);
  if (unknown) throw new RecoveryError("UNKNOWN_TEMPLATE", `${unknown.path.join(".")}: ${unknown.message}`);
  for (let attempt = 0; ; attempt++) {
    const previous = options.base ?? (await currentGrid(shop));
    const next = nextGridVersion(previous, parsed, createdBy, clock().now());
    try {
      await prisma.$transaction(async (tx) => {
        await tx.gridVersion.create({
          data: {
            shop,
            version: next.version,
            grid: next.grid as unknown as Prisma.InputJsonValue,
            createdBy,
            createdAt: next.createdAt,
          },
        });
        if (options.actor) await recordAudit(tx, gridAudit(shop, options.actor, previous, next));
      });
      return next;
    } catch (error) {
      const taken = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (taken && options.base) throw new GridVersionConflict(await currentGrid(shop));
      if (taken && attempt < 5) continue;
      throw error;
    }
  }
}

/** The field path of one grid change ("cells.major.VIP", "overrides.REFUND.major.VIP", "percentBasketCapMinor"). */
function changePath(change: GridChange): string {
  if (change.scope === "BASKET_CAP") return "percentBasketCapMinor";
  if (change.scope === "BASE") return `cells.${change.severity}.${change.tier}`;
  if (change.scope === "STAGE") return `stageOverrides.${change.stage}.${change.severity}.${change.tier}`;
  return `overrides.${change.scope}.${change.severity}.${change.tier}`;
}

function gridAudit(shop: string, actor: AuditActor, previous: GridVersion, next: GridVersion) {
  const changes = diffGrids(previous.grid, next.grid);
  return {
    shop,
    actor,
    action: GRID_AUDIT_ACTION,
    subject: `v${next.version}`,
    before: Object.fromEntries(changes.map((c) => [changePath(c), c.before])),
    after: Object.fromEntries(changes.map((c) => [changePath(c), c.after])),
    at: next.createdAt,
  };
}

export async function gridVersion(shop: string, version: number): Promise<GridVersion | null> {
  const row = await prisma.gridVersion.findUnique({ where: { shop_version: { shop, version } } });
  return row ? toVersion(row) : null;
}

/** The grid decisions would use now, without writing: INSTALL_GRID as version 1 when none was saved yet. */
export async function currentGridReadOnly(shop: string, db: Tx = prisma): Promise<GridVersion> {
  return (await latest(db, shop)) ?? { version: 1, grid: INSTALL_GRID, createdAt: new Date(0), createdBy: "system" };
}

/** The newest versions first, up to `limit` (the history page shows them with what changed). */
export async function listGridVersions(shop: string, limit: number): Promise<GridVersion[]> {
  const rows = await prisma.gridVersion.findMany({ where: { shop }, orderBy: { version: "desc" }, take: limit });
  return rows.map(toVersion);
}
