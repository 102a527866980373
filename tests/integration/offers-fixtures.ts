/** Shared set-up for the offers-*.test.ts files: a shop row, its offline session, incidents. */
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { prisma } from "../../app/db.server";
import { decideIncident } from "../../app/services/decision.server";
import { gid, type Sandbox } from "../../sandbox";
import { installOfflineSession, resetSandbox } from "../helpers/sandbox";

export const OFFERS_NOW = new Date("2026-11-02T15:00:00Z");

export async function createShopRow(shop: string, settings: Record<string, unknown> = {}): Promise<void> {
  await prisma.shop.create({
    data: { shop, timezone: "UTC", currency: "USD", settings: settings as Prisma.InputJsonValue },
  });
  await installOfflineSession(shop, {
    scope:
      "read_orders,read_customers,write_discounts,write_gift_cards,write_draft_orders,write_store_credit_account_transactions",
  });
}

/** Every make-good goes out at once: no holdout, no cooldown, no yearly cap. */
export const EVERY_OFFER_AT_ONCE = {
  decision: { holdoutShare: 0, autoApproveCeilingMinor: 1_000, cooldownDays: 0, yearlyCapPerCustomerMinor: null },
};

/**
 * The incident-action tests' world: the sandbox reset to OFFERS_NOW, each shop installed with
 * `settings`, and Ada, a customer of the first shop. Returns Ada's GID.
 */
export async function shopsWithAda(
  sandbox: Sandbox,
  shops: readonly [string, ...string[]],
  settings: Record<string, unknown> = EVERY_OFFER_AT_ONCE,
): Promise<string> {
  const ada = await storeWithAda(sandbox, shops);
  for (const shop of shops) await createShopRow(shop, settings);
  return ada;
}

/**
 * The sandbox reset to OFFERS_NOW with each shop in the store (UTC, USD) and Ada a customer of the
 * first, before Amends has a row for any of them. Returns Ada's GID.
 */
export async function storeWithAda(sandbox: Sandbox, shops: readonly [string, ...string[]]): Promise<string> {
  await resetSandbox(sandbox, OFFERS_NOW);
  for (const shop of shops)
    sandbox.store.addShop({ domain: shop, currency: "USD", plan: "Basic", ianaTimezone: "UTC" });
  const ada = sandbox.activity.createCustomer(shops[0], {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
  });
  return gid("Customer", ada.id);
}

export interface IncidentOverrides {
  id?: string;
  customerGid?: string | null;
  severity?: "minor" | "moderate" | "major" | "critical";
  orderTotalMinor?: number;
  orderGid?: string;
  /** Another type than LATE_FULFILLMENT: a second incident on the same order (one open per order and type). */
  manual?: boolean;
}

let orderCounter = 1000;

export async function createIncident(shop: string, overrides: IncidentOverrides = {}): Promise<string> {
  const id = overrides.id ?? randomUUID();
  orderCounter += 1;
  const total = overrides.orderTotalMinor ?? 20_000;
  await prisma.incident.create({
    data: {
      id,
      shop,
      orderGid: overrides.orderGid ?? `gid://shopify/Order/${orderCounter}`,
      orderName: `#${orderCounter}`,
      customerGid: overrides.customerGid === undefined ? null : overrides.customerGid,
      type: overrides.manual ? "MANUAL" : "LATE_FULFILLMENT",
      severity: overrides.severity ?? "major",
      measure: overrides.manual
        ? { kind: "STAFF_CHOSEN", severity: overrides.severity ?? "major", category: "SERVICE" }
        : { kind: "BUSINESS_DAYS_LATE", days: 6 },
      evidence: { orderTotalMinor: total, orderSubtotalMinor: total },
      occurredAt: new Date(OFFERS_NOW.getTime() - 6 * 86_400_000),
      detectedAt: new Date(OFFERS_NOW.getTime() - 3_600_000),
    },
  });
  return id;
}

/** An incident of `shop` decided by the real decision path, which must make an offer: its ids. */
export async function decidedIncident(
  shop: string,
  overrides: IncidentOverrides = {},
): Promise<{ incidentId: string; offerId: string }> {
  const incidentId = await createIncident(shop, overrides);
  const result = await decideIncident(shop, incidentId);
  if (result.outcome !== "DECIDED" || !result.offerId) throw new Error(`no offer: ${result.outcome}`);
  return { incidentId, offerId: result.offerId };
}
