/**
 * A recovery history for dashboard tests: incidents of every kind over the last weeks with their
 * offers (or holdout markers) and outcomes, written with createMany. Deterministic: incident i
 * gets its type, group, timing and outcome from i, so tests can work out the expected figures.
 */
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { prisma } from "../../app/db.server";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const TYPES = ["LATE_FULFILLMENT", "DELIVERY_DELAY", "DELIVERY_FAILURE", "REFUND", "MERCHANT_CANCELLATION"] as const;
const CARRIERS = ["UPS", "FedEx", "DHL"];

export interface SeededHistory {
  incidents: number;
  holdout: number;
  treated: number;
  issued: number;
  faceValueMinor: number;
  orderNames: string[];
  /** When each incident was detected, in seeding order. */
  detectedAt: Date[];
}

/** `count` incidents detected over the `days` days before `now`; every 5th is held out. */
export async function seedRecoveryHistory(
  shop: string,
  options: { now: Date; count: number; days?: number; orderPrefix?: string; firstOrder?: number },
): Promise<SeededHistory> {
  const days = options.days ?? 25;
  const incidents: Prisma.IncidentCreateManyInput[] = [];
  const offers: Prisma.OfferCreateManyInput[] = [];
  const result: SeededHistory = {
    incidents: 0,
    holdout: 0,
    treated: 0,
    issued: 0,
    faceValueMinor: 0,
    orderNames: [],
    detectedAt: [],
  };
  for (let i = 0; i < options.count; i++) {
    const id = randomUUID();
    const type = TYPES[i % TYPES.length] ?? "LATE_FULFILLMENT";
    const detectedAt = new Date(options.now.getTime() - (i % days) * DAY - 2 * HOUR);
    const occurredAt = new Date(detectedAt.getTime() - 3 * HOUR);
    const holdout = i % 5 === 4;
    const wonBack = i % 3 === 0;
    const orderNumber = (options.firstOrder ?? 5000) + i;
    const orderName = `${options.orderPrefix ?? "#"}${orderNumber}`;
    result.orderNames.push(orderName);
    result.detectedAt.push(detectedAt);
    incidents.push({
      id,
      shop,
      orderGid: `gid://shopify/Order/${shop.length}${orderNumber}`,
      orderName,
      customerGid: `gid://shopify/Customer/${orderNumber - 4300}`,
      type,
      severity: i % 2 === 0 ? "moderate" : "major",
      measure: {},
      evidence: {},
      rootCause: {
        productIds: [`gid://shopify/Product/${(i % 4) + 1}`],
        carriers: [CARRIERS[i % CARRIERS.length] ?? "UPS"],
        locations: ["gid://shopify/Location/1"],
      },
      occurredAt,
      detectedAt,
      decision: holdout ? "HOLDOUT" : "OFFER",
      holdout,
      explanation: [],
      // The experiment's outcome, as attribution records it: the first order within the window after detection.
      ...(wonBack
        ? {
            returnedAt: new Date(detectedAt.getTime() + DAY),
            returnedOrderGid: `gid://shopify/Order/won-${id}`,
            returnedMinor: 9_000,
          }
        : {}),
    });
    result.incidents += 1;
    const won = wonBack
      ? {
          wonBackAt: new Date(detectedAt.getTime() + DAY),
          wonBackOrderGid: `gid://shopify/Order/won-${id}`,
          wonBackMinor: 9_000,
        }
      : {};
    const base = {
      shop,
      incidentId: id,
      customerGid: `gid://shopify/Customer/${orderNumber - 4300}`,
      cell: {},
      gridVersion: 1,
      currency: "USD",
      approval: "AUTO" as const,
      summary: "",
      issueKey: `dash-${id}`,
      explanation: [],
    };
    if (holdout) {
      result.holdout += 1;
      offers.push({ ...base, kind: "NONE", faceValueMinor: 0, status: "HOLDOUT", ...won });
      continue;
    }
    result.treated += 1;
    result.issued += 1;
    result.faceValueMinor += 1_500;
    // Same day, next day or later, by i.
    const issuedAt = new Date(occurredAt.getTime() + [1, 26, 80][i % 3]! * HOUR);
    const redeemed = wonBack && i % 2 === 0;
    offers.push({
      ...base,
      kind: "DISCOUNT_FIXED",
      faceValueMinor: 1_500,
      status: redeemed ? "REDEEMED" : "ISSUED",
      issuedAt,
      createdAt: new Date(detectedAt.getTime() + 1_000),
      expiresAt: new Date(issuedAt.getTime() + 2 * DAY),
      ...(redeemed ? { redeemedAt: new Date(detectedAt.getTime() + DAY), discountUsedMinor: 1_500 } : {}),
      ...won,
    });
  }
  await prisma.incident.createMany({ data: incidents });
  await prisma.offer.createMany({ data: offers });
  return result;
}
