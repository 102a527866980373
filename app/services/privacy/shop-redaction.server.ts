/**
 * shop/redact: delete everything Amends holds for a shop, in short batches. Each batch is one
 * DELETE of at most `batchSize` rows and one update of the request's running counts, in its own
 * transaction: no transaction outlives a few hundred milliseconds whatever the shop's size, and a
 * run that is interrupted (crash, deploy, timeout) continues where it stopped when the job retries,
 * because each batch picks the rows still there. Children go before their parents (so the foreign
 * key cascades find nothing left to do) and the shop row goes last. The ComplianceRequest rows
 * stay, without their exports, as the record of what was asked and done.
 */
import { Prisma } from "@prisma/client";
import { clock } from "../../clock.server";
import { prisma, type Tx } from "../../db.server";
import { PERSONAL_DATA_INVENTORY, type InventoriedModel } from "./inventory";

/** Rows per DELETE: small enough for a short transaction, large enough to finish 100,000 orders in seconds. */
export const SHOP_REDACTION_BATCH = 5_000;

/** Deletion order: children first, then the rest, the shop row last. Every inventoried model is here or kept. */
export const SHOP_REDACTION_ORDER = [
  "Rating",
  "OfferTransition",
  "Offer",
  "IncidentEvent",
  "ArmAssignment",
  "Incident",
  "FlowActionRun",
  "DiscountGroup",
  "OrderRecord",
  "RefundRecord",
  "FulfillmentRecord",
  "FulfillmentEventRecord",
  "FulfillmentHoldRecord",
  "CustomerValue",
  "GridVersion",
  "BudgetMonth",
  "FlowTriggerUsage",
  "AuditEntry",
  "WebhookDeliveryDay",
  "AdminApiBucket",
  "RecoveryDigest",
  "WebhookDelivery",
  "Session",
  "Shop",
] as const satisfies readonly InventoriedModel[];

/** Kept after shop/redact: the record that the shop's requests were handled (exports erased). */
export const KEPT_AFTER_SHOP_REDACT = ["ComplianceRequest"] as const satisfies readonly InventoriedModel[];

export interface ShopRedactionProgress {
  state: "RUNNING" | "DONE";
  /** Rows deleted so far, per model. */
  deleted: Partial<Record<(typeof SHOP_REDACTION_ORDER)[number], number>>;
}

/** Test seam: called after each committed batch (a test throws from it to interrupt a run). */
export interface ShopRedactionOptions {
  batchSize?: number;
  afterBatch?: (model: string, deleted: number) => Promise<void> | void;
}

/** Called in the shop/redact delivery's transaction: erase pending exports now, record the request. */
export async function startShopRedaction(tx: Tx, shop: string, deliveryId: string): Promise<string> {
  await tx.complianceRequest.updateMany({
    where: { shop, exportExpiresAt: { not: null } },
    data: { export: Prisma.DbNull },
  });
  const progress: ShopRedactionProgress = { state: "RUNNING", deleted: {} };
  const request = await tx.complianceRequest.create({
    data: { shop, kind: "SHOP_REDACT", deliveryId, result: progress as unknown as Prisma.InputJsonObject },
  });
  return request.id;
}

/** Run (or resume) the redaction of a shop; returns the final counts. */
export async function runShopRedaction(
  requestId: string,
  options: ShopRedactionOptions = {},
): Promise<ShopRedactionProgress> {
  const request = await prisma.complianceRequest.findUniqueOrThrow({ where: { id: requestId } });
  if (request.kind !== "SHOP_REDACT") throw new Error(`compliance request ${requestId} is not a shop redaction`);
  const shop = request.shop;
  const batchSize = options.batchSize ?? SHOP_REDACTION_BATCH;
  for (const model of SHOP_REDACTION_ORDER) {
    for (;;) {
      const deleted = await prisma.$transaction(async (tx) => {
        const n = await deleteBatch(tx, model, shop, request.deliveryId, batchSize);
        if (n > 0) {
          await tx.$executeRaw`
            UPDATE "ComplianceRequest"
            SET result = jsonb_set(result, ARRAY['deleted', ${model}::text],
              to_jsonb(COALESCE((result->'deleted'->>${model}::text)::int, 0) + ${n}::int))
            WHERE id = ${requestId}::uuid`;
        }
        return n;
      });
      // A batch that deleted nothing does not mean the model is done: another run (a duplicate
      // request) may have held exactly the rows this one picked, and deleted them, while more are
      // left. Moving on then would let a parent's cascade take the children uncounted. Leave a
      // model only once a fresh statement sees none of its rows (rows another run is still
      // deleting are visible until it commits, so this waits for it on the next DELETE).
      if (deleted === 0) {
        if (!(await anyLeft(model, shop, request.deliveryId))) break;
        continue;
      }
      await options.afterBatch?.(model, deleted);
    }
  }
  // Exports created since the request arrived (there should be none: the shop is gone) go too.
  await prisma.complianceRequest.updateMany({
    where: { shop, exportExpiresAt: { not: null } },
    data: { export: Prisma.DbNull },
  });
  const done = await prisma.$queryRaw<Array<{ result: ShopRedactionProgress }>>`
    UPDATE "ComplianceRequest" SET result = jsonb_set(result, '{state}', '"DONE"'), "completedAt" = ${clock().now()}
    WHERE id = ${requestId}::uuid RETURNING result`;
  return done[0]!.result;
}

/** The model's table, for raw SQL; only inventoried models (never a name from elsewhere). */
function tableOf(model: string) {
  if (!(model in PERSONAL_DATA_INVENTORY)) throw new Error(`unknown model ${model}`);
  return Prisma.raw(`"${model}"`);
}

async function anyLeft(model: string, shop: string, keepDeliveryId: string): Promise<boolean> {
  const table = tableOf(model);
  const [row] = await prisma.$queryRaw<Array<{ left: boolean }>>`
    SELECT EXISTS (SELECT 1 FROM ${table} WHERE shop = ${shop} ${keepClause(model, keepDeliveryId)}) AS "left"`;
  return row!.left;
}

function keepClause(model: string, keepDeliveryId: string) {
  return model === "WebhookDelivery" ? Prisma.sql`AND id <> ${keepDeliveryId}::uuid` : Prisma.empty;
}

/**
 * One DELETE of at most `limit` of the shop's rows of a model. Rows are picked by ctid through the
 * model's shop-leading index; the shop/redact delivery itself stays (it is being processed).
 */
async function deleteBatch(tx: Tx, model: string, shop: string, keepDeliveryId: string, limit: number) {
  const table = tableOf(model);
  const keep = keepClause(model, keepDeliveryId);
  return tx.$executeRaw`
    DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM ${table} WHERE shop = ${shop} ${keep} LIMIT ${limit}))`;
}
