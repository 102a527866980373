/**
 * AdminApiBucket: each shop's Admin API leaky bucket as last seen by any process of the app, so
 * web and worker processes share one view of it (docs/decisions/0025-shared-admin-throttle.md).
 * One statement per reservation and one per observation. Times are passed as epoch milliseconds of
 * the app clock and compared as epoch seconds in SQL (EXTRACT(EPOCH FROM timestamp) reads the
 * column as UTC, as Prisma writes it), so neither the session's nor the machine's time zone matters.
 */
import { prisma } from "../db.server";
import { logger } from "../logger.server";
import type { BucketTiming, CostExtension, Reservation, SharedBucketGate } from "../shopify/admin-cost";

export interface BucketReading {
  /** The bucket before this reservation: the last status plus what was restored since, capped. */
  estimate: number;
  maximumAvailable: number;
  restoreRate: number;
  /** The cost was taken from the bucket. */
  granted: boolean;
}

/**
 * Take `cost` points from the shop's bucket if it holds them now. Undefined when no process has
 * seen the shop's bucket yet. The row is locked (FOR UPDATE) while it is read, so concurrent
 * reservations from any process queue on it and each sees the others' takings.
 */
export async function reserveAdminPoints(
  shop: string,
  cost: number,
  nowMs: number,
): Promise<BucketReading | undefined> {
  const nowS = nowMs / 1000;
  const rows = await prisma.$queryRaw<
    Array<{ estimate: number; maximumAvailable: number; restoreRate: number; granted: boolean }>
  >`
    WITH b AS (
      SELECT shop, "maximumAvailable", "restoreRate", "observedAt",
        LEAST("maximumAvailable",
          "currentlyAvailable" + GREATEST(0, ${nowS}::float8 - EXTRACT(EPOCH FROM "observedAt")::float8) * "restoreRate"
        ) AS estimate
      FROM "AdminApiBucket" WHERE shop = ${shop} FOR UPDATE
    ), taken AS (
      UPDATE "AdminApiBucket" a
      SET "currentlyAvailable" = b.estimate - ${cost}::float8,
          "observedAt" = to_timestamp(GREATEST(EXTRACT(EPOCH FROM b."observedAt")::float8, ${nowS}::float8)) AT TIME ZONE 'UTC'
      FROM b WHERE a.shop = b.shop AND b.estimate >= ${cost}::float8
      RETURNING a.shop
    )
    SELECT b.estimate, b."maximumAvailable", b."restoreRate", EXISTS (SELECT 1 FROM taken) AS granted FROM b`;
  return rows[0];
}

export interface ObservedBucket {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * What Shopify reported after a call (`observed`), written back for every process. `refund` is what
 * this call's reservation took beyond what Shopify charged (all of it when it was throttled). The
 * row keeps the lower of Shopify's figure and its own estimate plus the refund: Shopify's figure
 * does not yet include calls other processes have reserved for and not sent, the row does.
 */
export async function observeAdminBucket(
  shop: string,
  observed: ObservedBucket,
  refund: number,
  nowMs: number,
): Promise<void> {
  const nowS = nowMs / 1000;
  await prisma.$executeRaw`
    INSERT INTO "AdminApiBucket" (shop, "maximumAvailable", "currentlyAvailable", "restoreRate", "observedAt")
    VALUES (${shop}, ${observed.maximumAvailable}::float8, ${observed.currentlyAvailable}::float8,
      ${observed.restoreRate}::float8, to_timestamp(${nowS}::float8) AT TIME ZONE 'UTC')
    ON CONFLICT (shop) DO UPDATE SET
      "maximumAvailable" = EXCLUDED."maximumAvailable",
      "restoreRate" = EXCLUDED."restoreRate",
      "currentlyAvailable" = LEAST(
        EXCLUDED."currentlyAvailable",
        EXCLUDED."maximumAvailable",
        "AdminApiBucket"."currentlyAvailable" + ${refund}::float8
          + GREATEST(0, ${nowS}::float8 - EXTRACT(EPOCH FROM "AdminApiBucket"."observedAt")::float8) * "AdminApiBucket"."restoreRate"
      ),
      "observedAt" = to_timestamp(GREATEST(EXTRACT(EPOCH FROM "AdminApiBucket"."observedAt")::float8, ${nowS}::float8)) AT TIME ZONE 'UTC'`;
}

/** Reservations re-tried after waiting for the refill, per call; beyond, the call goes as it is. */
const MAX_RESERVATION_WAITS = 20;

/**
 * The Admin API bucket shared by every process of the app. Shopify keeps one leaky bucket per app
 * and shop; with several web and worker processes, a throttle status remembered per process lets
 * each spend points the others already spent. Before a call, AdminClient reserves the operation's
 * expected cost from the shop's row (waiting for the refill when it does not hold it); after the
 * answer it writes back what Shopify reported. One instance per process (`sharedAdminBucket`,
 * handed to app/shopify through app/shopify.server.ts); tests make one per simulated process.
 */
export class SharedAdminBucket {
  /** Requested cost of each operation's last call in this process (any shop): the reservation's size. */
  private readonly requestedCosts = new Map<string, number>();

  forShop(shop: string): SharedBucketGate {
    return {
      acquire: (operation, timing) => this.acquire(shop, operation, timing),
      settle: (reservation, cost, throttled, nowMs) => this.settle(shop, reservation, cost, throttled, nowMs),
    };
  }

  private async acquire(shop: string, operation: string, timing: BucketTiming): Promise<Reservation> {
    const cost = this.requestedCosts.get(operation);
    // Never called in this process: its cost is unknown until Shopify answers (the answer is written back).
    if (cost === undefined || cost <= 0) return { operation, points: 0 };
    for (let waits = 0; ; waits++) {
      const reading = await reserveAdminPoints(shop, cost, timing.now().getTime());
      // No process has seen this shop's bucket yet, or it could never hold the cost: send and learn.
      if (!reading || cost > reading.maximumAvailable || !(reading.restoreRate > 0)) return { operation, points: 0 };
      if (reading.granted) return { operation, points: cost };
      const waitMs = Math.ceil(((cost - reading.estimate) / reading.restoreRate) * 1000);
      if (waits >= MAX_RESERVATION_WAITS || waitMs > timing.maxWaitMs) {
        logger.warn({ shop, operation, cost, waitMs }, "shared Admin API bucket is short; sending unreserved");
        return { operation, points: 0 };
      }
      await timing.sleep(waitMs);
    }
  }

  private async settle(
    shop: string,
    reservation: Reservation,
    cost: CostExtension | undefined,
    throttled: boolean,
    nowMs: number,
  ): Promise<void> {
    if (!cost) return;
    this.requestedCosts.set(reservation.operation, cost.requestedQueryCost);
    // Shopify charges the actual cost (the requested one while it runs); a throttled call ran nothing.
    const charged = throttled ? 0 : (cost.actualQueryCost ?? cost.requestedQueryCost);
    const refund = Math.max(0, reservation.points - charged);
    try {
      await observeAdminBucket(shop, cost.throttleStatus, refund, nowMs);
    } catch (error) {
      // The call itself is done (a mutation may have run): losing one observation must not fail it.
      logger.warn(
        { shop, operation: reservation.operation, err: error instanceof Error ? error.message : String(error) },
        "could not record the Admin API bucket",
      );
    }
  }
}

/** This process's view of the shared buckets. */
export const sharedAdminBucket = new SharedAdminBucket();
