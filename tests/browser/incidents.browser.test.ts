/**
 * The incident pages in a real browser against the demo: the index lists the demo shop's
 * incidents, a type filter narrows the rows, a row opens the detail with its timeline, and staff
 * open an incident by hand for an order of the demo store (a bad order first: the error shows
 * beside the field). From an incident's page, the owner approves its make-good (the header's
 * primary action), resends the customer's message and closes the incident (decision 0121).
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { recordTriggerLifecycle } from "../../app/models/flow-triggers.server";
import { decideIncident } from "../../app/services/decision.server";
import { notifyIssued } from "../../app/services/issuing/lifecycle.server";
import { OFFER_ISSUED_TRIGGER } from "../../app/shopify/flow/triggers";
import { gid } from "../../sandbox";
import { everyOfferWaits, issueSettles } from "./waiting-offers";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();
const HOUR = 3_600_000;
/** The deliberately bad submission answers 400 (field errors), which Chromium logs as a failed resource; anything else is a fault. */
const unexpectedBrowserErrors = () =>
  browser.browserErrors.filter((e) => !e.includes("the server responded with a status of 400"));

/** An incident of the demo shop as detection writes it (incident + SIGNAL event), then decided by the real service. */
async function incident(orderName: string, type: "DELIVERY_FAILURE" | "REFUND", hoursAgo: number): Promise<string> {
  const { shop, sandbox } = browser.demo;
  const now = sandbox.clock.now();
  const measure =
    type === "REFUND"
      ? { kind: "REFUND_SHARE", refundedMinor: 1_000, orderTotalMinor: 8_000 }
      : { kind: "DELIVERY_FAILED", cause: "RETURNED_TO_SENDER", attempts: 1 };
  const detectedAt = new Date(now.getTime() - hoursAgo * HOUR);
  const created = await prisma.incident.create({
    data: {
      shop,
      orderGid: `gid://shopify/Order/${Math.floor(Math.random() * 1e9)}`,
      orderName,
      customerGid: null,
      type,
      severity: type === "REFUND" ? "minor" : "major",
      measure,
      evidence: { orderTotalMinor: 8_000, orderSubtotalMinor: 8_000 },
      occurredAt: new Date(detectedAt.getTime() - HOUR),
      detectedAt,
    },
  });
  await prisma.incidentEvent.create({
    data: {
      shop,
      incidentId: created.id,
      kind: "SIGNAL",
      at: detectedAt,
      data: { type, severity: created.severity, base: created.severity, boosts: [], measure },
    },
  });
  await decideIncident(shop, created.id);
  return created.id;
}

test("the index lists the shop's incidents, a type filter narrows them, and a row opens the detail with its timeline", async () => {
  await incident("#BR-2001", "DELIVERY_FAILURE", 5);
  await incident("#BR-2002", "REFUND", 4);
  await incident("#BR-2003", "REFUND", 3);

  await browser.signIn();
  const { page } = browser;
  await browser.gotoApp("/app/incidents");
  await page.getByRole("heading", { name: "Incidents", level: 1 }).waitFor();
  expect(await page.title()).toBe("Incidents · Amends");
  await page.getByRole("link", { name: "#BR-2001" }).waitFor();
  expect(await page.getByRole("link", { name: "#BR-2002" }).count()).toBe(1);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("incidents-index");

  // Filter by type through the filters bar (IndexFilters: opened by its search and filter button): only the failed delivery stays.
  await page.getByRole("button", { name: "Search and filter incidents" }).click();
  await page.getByRole("button", { name: "Type" }).click();
  // The URL drives the checkbox: it changes once the filtered page has loaded.
  await page.getByRole("checkbox", { name: "Delivery failed" }).click();
  await expect.poll(() => page.url()).toMatch(/type=DELIVERY_FAILURE/);
  await expect.poll(() => page.getByRole("link", { name: "#BR-2002" }).count()).toBe(0);
  expect(await page.getByRole("link", { name: "#BR-2001" }).count()).toBe(1);
  await page.keyboard.press("Escape");
  await browser.screenshot("incidents-index-filtered");

  await page.getByRole("link", { name: "#BR-2001" }).click();
  await page.waitForURL(/\/app\/incidents\/[0-9a-f-]{36}/);
  await page.getByRole("heading", { name: "Delivery failed: #BR-2001" }).waitFor();
  await page.getByRole("heading", { name: "Timeline" }).waitFor();
  const timeline = page.getByRole("list", { name: "Timeline, oldest first" });
  expect(await timeline.getByText("Detected: delivery failed").count()).toBe(1);
  expect(
    await timeline
      .getByText(/^(Decided on a make-good|Put in the control group|Decided on no make-good|Not eligible)/)
      .count(),
  ).toBe(1);
  expect(await page.getByRole("link", { name: "#BR-2001 in Shopify" }).getAttribute("href")).toMatch(
    /^https:\/\/.+\/admin\/orders\/\d+$/,
  );
  expect(await page.title()).toBe("Incident #BR-2001 · Amends");

  // Why Amends decided this: a checklist of plain checks (decision 0123), each icon named, no enum words.
  await page.getByRole("heading", { name: "Why Amends decided this" }).waitFor();
  const checks = page.getByRole("list", { name: "Checks Amends made" });
  expect(await checks.getByRole("listitem").count()).toBeGreaterThanOrEqual(2);
  // The icon's name is read with the check: "Passed Eligible for a make-good".
  expect(await checks.getByRole("listitem").first().textContent()).toMatch(/^Passed\s*Eligible for a make-good$/);
  expect(await checks.getByText(/random comparison group/).count()).toBe(1);
  const summary =
    (await page.getByRole("heading", { name: "Why Amends decided this" }).locator("..").innerText()) ?? "";
  expect(summary).not.toMatch(/DELIVERY_FAILURE|REGULAR|\bNEW\b|MANAGER|draw 0\./);
  // The raw figures wait behind Details.
  const draw = page.getByText(/^Draw 0\.\d{4}; the group takes draws below/);
  expect(await draw.isVisible()).toBe(false);
  await page
    .locator("details > summary")
    .filter({ hasText: /^Details$/ })
    .click();
  await draw.waitFor();
  // Said once: the make-good card and the timeline do not repeat the decision's reasoning.
  expect(await page.getByText(/within budget|no budget set|auto-approved|needs (STAFF|MANAGER)/).count()).toBe(0);
  // Badges say what happened, not the colour's name.
  // (Polaris keeps its tone's name for screen readers only, visually hidden.)
  const badgeWords = await timeline
    .locator(".Polaris-Badge > .Polaris-Text--root:not(.Polaris-Text--visuallyHidden)")
    .allInnerTexts();
  expect(badgeWords).toContain("Detected");
  expect(badgeWords).toContain("Decided");
  expect(badgeWords.filter((w) => /^(Info|Attention|Done|Problem|Waiting)$/.test(w))).toEqual([]);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("incident-detail");
  expect(browser.browserErrors).toEqual([]);
});

test("staff open an incident by hand: an unknown order is refused beside the field, then a real order opens one", async () => {
  const { page } = browser;
  const { shop, sandbox } = browser.demo;
  const order = [...sandbox.store.shops.get(shop)!.orders.values()].find((o) => !o.test && o.customerId)!;
  expect(await prisma.incident.count({ where: { shop, orderName: order.name, type: "MANUAL" } })).toBe(0);

  await browser.gotoApp("/app/incidents");
  await page.getByRole("link", { name: "Report incident" }).first().click();
  await page.waitForURL("**/app/incidents/new");
  await page.getByRole("heading", { name: "Report an incident", level: 1 }).waitFor();

  await page.getByLabel("Order").fill("#999999");
  await page.getByLabel("What went wrong").selectOption("DAMAGED_ITEM");
  await page.getByLabel("Severity").selectOption("moderate");
  await page.getByLabel("Note").fill("Phoned: the parcel arrived crushed");
  await page.getByRole("button", { name: "Report incident" }).click();
  await page.getByText("No order #999999 in your store").waitFor();
  // The message is the order field's own error (aria-describedby), not a banner elsewhere.
  const described = await page.getByLabel("Order").getAttribute("aria-describedby");
  expect(
    await page.locator(`[id="${described?.split(" ").find((id) => id.endsWith("Error"))}"]`).textContent(),
  ).toMatch(/No order #999999/);
  expect(await page.getByLabel("Order").getAttribute("aria-invalid")).toBe("true");
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("incident-new-error");

  await page.getByLabel("Order").fill(order.name);
  await page.getByRole("button", { name: "Report incident" }).click();
  await page.waitForURL(/\/app\/incidents\/[0-9a-f-]{36}/);
  await page.getByRole("heading", { name: `Reported by staff: ${order.name}` }).waitFor();
  await page
    .getByText(/^Reported by /)
    .first()
    .waitFor();
  expect(await prisma.incident.count({ where: { shop, orderName: order.name, type: "MANUAL" } })).toBe(1);
  await browser.screenshot("incident-opened");
  expect(unexpectedBrowserErrors()).toEqual([]);
});

test("from the incident page the owner approves the make-good, resends the customer's message and closes the incident", async () => {
  const { shop, sandbox } = browser.demo;
  // Every make-good waits for a person; no holdout, no cooldown: this incident gets one.
  await everyOfferWaits(browser);
  // The store's Flow workflow sends the apology.
  await recordTriggerLifecycle({ shop, trigger: OFFER_ISSUED_TRIGGER, enabled: true, at: sandbox.clock.now() });
  const customer = sandbox.activity.createCustomer(shop, {
    firstName: "Grace",
    lastName: "Hopper",
    email: `${randomUUID()}@example.com`,
  });
  const now = sandbox.clock.now();
  const created = await prisma.incident.create({
    data: {
      shop,
      orderGid: `gid://shopify/Order/${Math.floor(Math.random() * 1e9)}`,
      orderName: "#BR-3001",
      customerGid: gid("Customer", customer.id),
      type: "LATE_FULFILLMENT",
      severity: "major",
      measure: { kind: "BUSINESS_DAYS_LATE", days: 6 },
      evidence: { orderTotalMinor: 20_000, orderSubtotalMinor: 20_000 },
      occurredAt: new Date(now.getTime() - 2 * HOUR),
      detectedAt: new Date(now.getTime() - HOUR),
    },
  });
  const decided = await decideIncident(shop, created.id);
  if (decided.outcome !== "DECIDED" || !decided.offerId) throw new Error(`no offer: ${JSON.stringify(decided)}`);
  const offerId = decided.offerId;

  await browser.signIn();
  const { page } = browser;
  await browser.gotoApp(`/app/incidents/${created.id}`);
  await page.getByRole("heading", { name: "Late to ship: #BR-3001" }).waitFor();
  await page.getByText("Waiting for approval", { exact: true }).first().waitFor();
  await page.getByRole("button", { name: "Approve the make-good for #BR-3001" }).click();
  await page.getByText(/#BR-3001: approved/).waitFor();
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).decidedBy).toBe("1001");
  // What the issue and notify jobs run (the worker in the web process may have run them already).
  await issueSettles(shop, offerId, "ISSUED");
  await notifyIssued(shop, offerId);
  const told = () => prisma.incidentEvent.count({ where: { shop, incidentId: created.id, kind: "OFFER_NOTIFIED" } });
  expect(await told()).toBe(1);

  // Made good, not a yellow "Open"; Close is the primary action.
  await browser.gotoApp(`/app/incidents/${created.id}`);
  await page.getByText("Made good", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Close incident" }).waitFor();

  // Resend: from the menu, confirmed in a dialog, once, and in the timeline.
  await page.getByRole("button", { name: "More actions" }).click();
  await page
    .getByRole("menuitem", { name: /^Resend message/ })
    .or(page.getByRole("button", { name: /^Resend message/ }))
    .click();
  const dialog = page.getByRole("dialog", { name: "Send the make-good message again?" });
  await dialog.waitFor();
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("button", { name: "Send again" }).click();
  await page.getByText(/^Message sent again through the store's Shopify Flow workflow/).waitFor();
  const timeline = page.getByRole("list", { name: "Timeline, oldest first" });
  await timeline.getByText(/^Message sent again through Shopify Flow, at .+'s request$/).waitFor();
  expect(
    await prisma.incidentEvent.count({ where: { shop, incidentId: created.id, kind: "OFFER_RESENT", actor: "1001" } }),
  ).toBe(1);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("incident-actions");

  await page.getByRole("button", { name: "Close incident" }).click();
  await page.getByText("Incident closed", { exact: true }).first().waitFor();
  await page.getByText("Closed", { exact: true }).first().waitFor();
  await timeline.getByText(/^Incident closed by /).waitFor();
  expect(await prisma.incident.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
    state: "CLOSED",
    openSlot: null,
  });
  expect(await page.getByRole("button", { name: "Close incident" }).count()).toBe(0);
  await expectNoSeriousA11yViolations(page);
  expect(unexpectedBrowserErrors()).toEqual([]);
});
