/**
 * Finding a customer's incident in a real browser against the demo (issue 17 item 2, decision
 * 0125): a support call gives an email; the "Open" saved view, then the search, find that
 * customer's incidents through Shopify's customer search (the sandbox's, as strict as Shopify);
 * the rows show the customer's name and email read live; both are selected and closed in bulk, and
 * the one not ready to close is named in the report. No app module is imported at the top of this
 * file (importing app services here breaks the demo's detection): the database is reached through a
 * dynamic import inside the test.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import { gid } from "../../sandbox";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();
const HOUR = 3_600_000;

test("support finds a customer's incidents by email from the Open view and closes them in bulk; the one not ready is named", async () => {
  const { prisma } = await import("../../app/db.server");
  const { shop, sandbox } = browser.demo;
  const now = sandbox.clock.now();
  const email = `grace-${randomUUID().slice(0, 8)}@example.com`;
  const grace = sandbox.activity.createCustomer(shop, { firstName: "Grace", lastName: "Finder", email });
  const other = sandbox.activity.createCustomer(shop, {
    firstName: "Someone",
    lastName: "Else",
    email: `else-${randomUUID().slice(0, 8)}@example.com`,
  });
  // Created a while ago: Shopify's customer search follows a new customer only after a lag.
  grace.createdAt = new Date(now.getTime() - 24 * HOUR);
  other.createdAt = grace.createdAt;

  const create = (orderName: string, customerId: string, decision: "NO_OFFER" | null, hoursAgo: number) =>
    prisma.incident.create({
      data: {
        shop,
        orderGid: `gid://shopify/Order/${Math.floor(Math.random() * 1e9)}`,
        orderName,
        customerGid: gid("Customer", customerId),
        type: "LATE_FULFILLMENT",
        severity: "minor",
        state: "OPEN",
        openSlot: "open",
        measure: { kind: "BUSINESS_DAYS_LATE", days: 2 },
        evidence: {},
        decision,
        occurredAt: new Date(now.getTime() - (hoursAgo + 1) * HOUR),
        detectedAt: new Date(now.getTime() - hoursAgo * HOUR),
      },
    });
  // Decided (no make-good): settled, so it can be closed. Not decided yet: Close refuses it.
  const settled = await create("#FIND-1", grace.id, "NO_OFFER", 3);
  const undecided = await create("#FIND-2", grace.id, null, 2);
  const someoneElse = await create("#FIND-3", other.id, "NO_OFFER", 1);

  await browser.signIn();
  const { page } = browser;
  await browser.gotoApp("/app/incidents");
  await page.getByRole("heading", { name: "Incidents", level: 1 }).waitFor();

  // The saved view is a link: choosing "Open" puts its filter in the URL.
  await page.getByRole("tab", { name: "Open", exact: true }).click();
  await page.waitForURL(/state=OPEN/);
  await expect
    .poll(() => page.getByRole("tab", { name: "Open", exact: true }).getAttribute("aria-selected"))
    .toBe("true");

  await page.getByRole("button", { name: "Search and filter incidents" }).click();
  await page.getByPlaceholder("Search by order (#1001), customer name or email").fill(email);
  await page.waitForURL(/q=grace-/);
  await expect.poll(() => page.getByRole("link", { name: "#FIND-3" }).count()).toBe(0);
  await page.getByRole("link", { name: "#FIND-1" }).waitFor();
  await page.getByRole("link", { name: "#FIND-2" }).waitFor();
  // Names and emails read live from Shopify, never stored.
  expect(await page.getByText("Grace Finder").count()).toBe(2);
  expect(await page.getByText(email, { exact: true }).count()).toBe(2);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("incidents-find-by-email");

  await page
    .getByRole("row", { name: /#FIND-1/ })
    .getByRole("checkbox")
    .click({ force: true });
  await page
    .getByRole("row", { name: /#FIND-2/ })
    .getByRole("checkbox")
    .click({ force: true });
  await page.getByRole("button", { name: "Close incidents" }).click();
  const report = page.getByText("1 of 2 incidents closed").first();
  await report.waitFor();
  await page.getByText(/#FIND-2: Amends has not decided this incident yet/).waitFor();
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("incidents-bulk-closed");

  const state = async (id: string) => (await prisma.incident.findUniqueOrThrow({ where: { id } })).state;
  expect([await state(settled.id), await state(undecided.id), await state(someoneElse.id)]).toEqual([
    "CLOSED",
    "OPEN",
    "OPEN",
  ]);
  // In the closed incident's timeline, with the signed-in member as who did it.
  const closed = await prisma.incidentEvent.findMany({ where: { shop, incidentId: settled.id, kind: "CLOSED" } });
  expect(closed).toEqual([expect.objectContaining({ actor: expect.stringMatching(/^\d+$/) })]);
  // Still in the Open view and the search: the closed one left the list once the page reloaded its rows.
  await expect.poll(() => page.getByRole("link", { name: "#FIND-1" }).count()).toBe(0);
  expect(browser.browserErrors).toEqual([]);
});
