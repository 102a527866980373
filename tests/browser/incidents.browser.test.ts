/**
 * The incident pages in a real browser against the demo: the index lists the demo shop's
 * incidents, a type filter narrows the rows, a row opens the detail with its timeline, and staff
 * open an incident by hand for an order of the demo store (a bad order first: the error shows
 * beside the field).
 */
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { decideIncident } from "../../app/services/decision.server";
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

  // Filter by type through the Filters bar: only the failed delivery stays.
  await page.getByRole("button", { name: "Type" }).click();
  // The URL drives the checkbox: it changes once the filtered page has loaded.
  await page.getByRole("checkbox", { name: "Delivery failed" }).click();
  await page.waitForURL(/type=DELIVERY_FAILURE/);
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
  await page.getByRole("link", { name: "Open incident" }).first().click();
  await page.waitForURL("**/app/incidents/new");
  await page.getByRole("heading", { name: "Open an incident", level: 1 }).waitFor();

  await page.getByLabel("Order").fill("#999999");
  await page.getByLabel("What went wrong").selectOption("DAMAGED_ITEM");
  await page.getByLabel("Severity").selectOption("moderate");
  await page.getByLabel("Note").fill("Phoned: the parcel arrived crushed");
  await page.getByRole("button", { name: "Open incident" }).click();
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
  await page.getByRole("button", { name: "Open incident" }).click();
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
