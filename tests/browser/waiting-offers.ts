/**
 * Offers waiting for approval in the demo's database, for browser tests: the demo shop's settings
 * made to send every make-good above $1 to a person, and a late order decided into a waiting offer.
 */
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { expect } from "vitest";
import { prisma } from "../../app/db.server";
import { decideIncident } from "../../app/services/decision.server";
import { IssueInProgressError, issueOffer } from "../../app/services/issuing.server";
import { gid } from "../../sandbox";
import type { BrowserHarness } from "./harness";

/** A late order of a new customer, decided with the demo's grid into an offer waiting for staff approval. */
export async function pendingOffer(browser: BrowserHarness, orderName: string): Promise<string> {
  const { shop, sandbox } = browser.demo;
  const customer = sandbox.activity.createCustomer(shop, {
    firstName: "Queue",
    lastName: orderName,
    email: `${randomUUID()}@example.com`,
  });
  const now = sandbox.clock.now();
  const incident = await prisma.incident.create({
    data: {
      shop,
      orderGid: `gid://shopify/Order/${Math.floor(Math.random() * 1e9)}`,
      orderName,
      customerGid: gid("Customer", customer.id),
      type: "LATE_FULFILLMENT",
      severity: "major",
      measure: { kind: "BUSINESS_DAYS_LATE", days: 6 },
      evidence: { orderTotalMinor: 20_000, orderSubtotalMinor: 20_000 },
      occurredAt: new Date(now.getTime() - 2 * 3_600_000),
      detectedAt: new Date(now.getTime() - 3_600_000),
    },
  });
  const result = await decideIncident(shop, incident.id);
  if (result.outcome !== "DECIDED" || !result.offerId) throw new Error(`no offer: ${JSON.stringify(result)}`);
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: result.offerId } })).status).toBe("PENDING_APPROVAL");
  return result.offerId;
}

/** Every make-good above $1 waits for a person; no holdout, no cooldown, so every order gets one. */
export async function everyOfferWaits(browser: BrowserHarness): Promise<void> {
  const { shop } = browser.demo;
  const row = await prisma.shop.findUniqueOrThrow({ where: { shop } });
  const settings = (row.settings ?? {}) as Record<string, Record<string, unknown> | undefined>;
  await prisma.shop.update({
    where: { shop },
    data: {
      settings: {
        ...settings,
        decision: { ...settings.decision, holdoutShare: 0, autoApproveCeilingMinor: 100, cooldownDays: 0 },
      } as Prisma.InputJsonValue,
    },
  });
}

/**
 * What the issue job does, whichever runs it first: the worker in the demo's web process (it runs
 * in browser tests) or this call. An attempt the worker holds is its to finish; either way the
 * offer ends up `status`.
 */
export async function issueSettles(shop: string, offerId: string, status: "ISSUED" | "FAILED"): Promise<void> {
  await issueOffer(shop, offerId).catch((error: unknown) => {
    if (!(error instanceof IssueInProgressError)) throw error;
  });
  await expect
    .poll(async () => (await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).status, { timeout: 30_000 })
    .toBe(status);
}
