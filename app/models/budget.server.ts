/**
 * The monthly budget ledger (BudgetMonth): face value committed (approved or
 * pending, not yet issued) and issued per shop-local month. Reservations are
 * one conditional UPDATE each, so concurrent decisions can never overspend:
 * Postgres re-checks the WHERE clause against the row a concurrent
 * transaction just committed.
 */
import type { Tx } from "../db.server";
import { localDate } from "../recovery";

/** "2026-11" in the shop's zone. */
export function budgetMonthOf(at: Date, timeZone: string): string {
  return localDate(at, timeZone).slice(0, 7);
}

export interface BudgetFigures {
  committedMinor: number;
  issuedMinor: number;
}

export async function readBudgetMonth(tx: Tx, shop: string, month: string): Promise<BudgetFigures> {
  const row = await tx.budgetMonth.findUnique({ where: { shop_month: { shop, month } } });
  return { committedMinor: row?.committedMinor ?? 0, issuedMinor: row?.issuedMinor ?? 0 };
}

async function ensureRow(tx: Tx, shop: string, month: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO "BudgetMonth" (shop, month) VALUES (${shop}, ${month}) ON CONFLICT DO NOTHING`;
}

/**
 * Commit `valueMinor` against the month if it still fits the budget (null: no budget, always fits).
 * Returns false when it does not fit; nothing changed then.
 */
export async function reserveBudget(
  tx: Tx,
  shop: string,
  month: string,
  valueMinor: number,
  budgetMinor: number | null,
): Promise<boolean> {
  await ensureRow(tx, shop, month);
  const rows =
    budgetMinor === null
      ? await tx.$queryRaw<Array<{ committedMinor: number }>>`
        UPDATE "BudgetMonth" SET "committedMinor" = "committedMinor" + ${valueMinor}
        WHERE shop = ${shop} AND month = ${month} RETURNING "committedMinor"`
      : await tx.$queryRaw<Array<{ committedMinor: number }>>`
        UPDATE "BudgetMonth" SET "committedMinor" = "committedMinor" + ${valueMinor}
        WHERE shop = ${shop} AND month = ${month}
          AND "committedMinor" + "issuedMinor" + ${valueMinor} <= ${budgetMinor}
        RETURNING "committedMinor"`;
  return rows.length === 1;
}

/** A manager's approval over the budget: committed whatever the month holds. */
export async function commitOverBudget(tx: Tx, shop: string, month: string, valueMinor: number): Promise<void> {
  await ensureRow(tx, shop, month);
  await tx.$executeRaw`UPDATE "BudgetMonth" SET "committedMinor" = "committedMinor" + ${valueMinor} WHERE shop = ${shop} AND month = ${month}`;
}

export async function releaseBudget(tx: Tx, shop: string, month: string, valueMinor: number): Promise<void> {
  await tx.$executeRaw`UPDATE "BudgetMonth" SET "committedMinor" = GREATEST(0, "committedMinor" - ${valueMinor}) WHERE shop = ${shop} AND month = ${month}`;
}

/** An issued offer: its reservation (if any) becomes issued face value. */
export async function moveToIssued(
  tx: Tx,
  shop: string,
  month: string,
  reservedMinor: number,
  issuedMinor: number,
): Promise<void> {
  await ensureRow(tx, shop, month);
  await tx.$executeRaw`UPDATE "BudgetMonth"
    SET "committedMinor" = GREATEST(0, "committedMinor" - ${reservedMinor}), "issuedMinor" = "issuedMinor" + ${issuedMinor}
    WHERE shop = ${shop} AND month = ${month}`;
}
