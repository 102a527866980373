/**
 * The whole loop as a merchant sees it, in a real browser against the demo: an order the store
 * does not ship in time becomes an incident whose make-good waits in the approval queue; the owner
 * approves it there; the code is created in the (sandbox) store; the customer buys again with it;
 * the dashboard shows the recovery. Store activity goes through the sandbox's own API (as the
 * control panel does), the app side only through its pages, its webhooks and its worker.
 */
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { bringPendingJobsForward } from "../../app/queue/store-clock.server";
import { DAY } from "../../sandbox";
import { waitFor } from "../helpers/wait";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";
import { everyOfferWaits } from "./waiting-offers";

const browser = setUpBrowserHarness();

test("a late order's make-good is approved in the queue, issued in the store, used by the customer, and the dashboard shows the recovery", async () => {
  const { shop, sandbox } = browser.demo;
  const page = browser.page;
  await everyOfferWaits(browser);

  const customer = sandbox.activity.createCustomer(shop, {
    firstName: "Flow",
    lastName: "Tester",
    email: "flow.tester@example.com",
  });
  const variant = [...sandbox.store.shop(shop).products.values()][0]!.variants[0]!;
  const order = await sandbox.activity.placeOrder(shop, {
    customerId: customer.id,
    lines: [{ variantId: variant.id, quantity: 1 }],
  });
  await waitFor(() => prisma.orderRecord.findFirst({ where: { shop, name: order.name } }), 20_000);

  // A week later in the store, still unshipped: the ship-by timer fires and the incident opens.
  sandbox.clock.advance(7 * DAY);
  await bringPendingJobsForward(7 * DAY);
  const offer = await waitFor(
    () => prisma.offer.findFirst({ where: { shop, status: "PENDING_APPROVAL", incident: { orderName: order.name } } }),
    30_000,
  );

  await browser.signIn();
  await browser.gotoApp("/app/approvals");
  await page.getByRole("link", { name: order.name }).waitFor();
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("approvals-with-offer");
  await page.getByRole("button", { name: `Approve the offer for ${order.name}`, exact: true }).click();
  await expect.poll(() => page.getByRole("link", { name: order.name }).count(), { timeout: 20_000 }).toBe(0);

  const issued = await waitFor(() => prisma.offer.findFirst({ where: { id: offer.id, status: "ISSUED" } }), 30_000);
  const storeCodes = [...sandbox.store.shop(shop).discounts.values()].flatMap((d) => d.codes.map((c) => c.code));
  expect(storeCodes).toContain(issued.code);

  // Two days later the customer comes back with the code.
  sandbox.clock.advance(2 * DAY);
  await bringPendingJobsForward(2 * DAY);
  await sandbox.activity.placeOrder(shop, {
    customerId: customer.id,
    lines: [{ variantId: variant.id, quantity: 2 }],
    discountCode: issued.code!,
  });
  await waitFor(
    () => prisma.offer.findFirst({ where: { id: offer.id, status: "REDEEMED", wonBackAt: { not: null } } }),
    30_000,
  );
  // The experiment's outcome is recorded from detection too.
  await waitFor(
    () => prisma.incident.findFirst({ where: { id: offer.incidentId, returnedAt: { not: null } } }),
    30_000,
  );

  // Two days in, the incident's 90-day window is still open: the dashboard counts it as maturing
  // and shows the value the customer used, not a result.
  await browser.gotoApp("/app");
  await page.getByText(/^0 of 1000 incidents followed for 90 days; 1 still maturing/).waitFor({ timeout: 20_000 });
  await page.getByRole("heading", { name: "Make-good value used" }).waitFor();
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("dashboard-recovered");
  expect(browser.browserErrors).toEqual([]);
});
