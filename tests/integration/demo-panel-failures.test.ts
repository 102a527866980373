/**
 * The control panel's two "show a failure now" actions, through the real pipeline: the panel's
 * forms on a real server, the sandbox store's webhooks through the real route, and every job they
 * lead to run by the app's own task list on the sandbox clock (the panel's appCatchUp). "Make this
 * order late" moves the clock to just past the deadline Amends computes from its own settings for
 * the shop, whatever day the order came in; "Deliver the delay now" has the carrier report a delay.
 *
 * Every instant is fixed and every date is read in the shop's zone, so the file passes whatever the
 * real date and the process's time zone (TZ=Pacific/Kiritimati too).
 */
import { createServer, type Server } from "node:http";
import express from "express";
import { http, passthrough } from "msw";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { prisma } from "../../app/db.server";
import type { DetectionSettingsInput } from "../../app/recovery";
import { readRequestBodies } from "../../app/http/request-bodies.server";
import { orderShipBy } from "../../app/services/detection.server";
import { gid } from "../../sandbox";
import { mountControlPanel, type PanelOptions } from "../../sandbox/demo/panel";
import type { Customer, Order, ProductVariant } from "../../sandbox/store";
import { jobRunner, type JobRunner } from "../helpers/job-runner";
import { mswServer } from "../helpers/msw";
import { installOfflineSession, resetSandbox, sandboxForTests } from "../helpers/sandbox";

const SHOP = "demo-panel-failures.myshopify.com";
const ZONE = "America/New_York";
const SCOPES =
  "read_orders,read_customers,write_discounts,write_gift_cards,write_draft_orders,write_store_credit_account_transactions";

const sandbox = sandboxForTests();
let runner: JobRunner;
let ada: Customer;
let mug: ProductVariant;
let server: Server;
let base: string;

const options: PanelOptions = {
  sandbox,
  shop: SHOP,
  inbox: async () => [],
  recovery: async () =>
    (await prisma.incident.findMany({ where: { shop: SHOP }, orderBy: { detectedAt: "desc" }, take: 12 })).map((i) => ({
      ...i,
      offer: null,
    })),
  shipBy: (orderGid) => orderShipBy(SHOP, orderGid),
  // The app's worker, in this process: whatever is due on the sandbox clock runs.
  appCatchUp: () => runner.settle(),
  detectionWaitMs: 0,
};

beforeAll(async () => {
  vi.stubEnv("AMENDS_DEMO", "true");
  const app = express();
  // As server.ts does: every body is read in full before anything routes it.
  app.use(readRequestBodies({ maxBytes: 1_000_000 }));
  mountControlPanel(app, options);
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

/** The shop with Amends installed and these detection settings; the clock frozen at `now`. */
async function shopAt(now: Date, detection: DetectionSettingsInput = {}): Promise<void> {
  vi.stubEnv("AMENDS_DEMO", "true");
  vi.stubEnv("NODE_ENV", "test");
  mswServer.use(http.all(`${base}/*`, () => passthrough()));
  await resetSandbox(sandbox, now);
  runner = jobRunner(sandbox);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", ianaTimezone: ZONE });
  await prisma.shop.create({ data: { shop: SHOP, timezone: ZONE, currency: "USD", settings: { detection } } });
  await installOfflineSession(SHOP, { scope: SCOPES });
  ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
}

/** Post one of the panel's forms; the flash message it redirects with. */
async function act(action: string, form: Record<string, string>): Promise<string> {
  const answer = await fetch(`${base}/demo/actions/${action}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  expect(answer.status).toBe(303);
  return new URL(answer.headers.get("location")!, base).searchParams.get("flash") ?? "";
}

/** An order placed through the panel, its webhook processed by Amends. */
async function placeOrder(): Promise<Order> {
  expect(await act("order", { customer: ada.id, variant: mug.id, quantity: "1" })).toMatch(/^#\d+ placed/);
  await runner.settle();
  const orders = [...sandbox.store.shop(SHOP).orders.values()];
  return orders.at(-1)!;
}

const incidents = () => prisma.incident.findMany({ where: { shop: SHOP }, orderBy: { detectedAt: "asc" } });

test.each([
  {
    name: "placed on a Saturday: counted from Monday, late from Thursday 00:00 (DST began on the Sunday)",
    placedAt: "2025-03-08T15:00:00Z", // Sat 10:00 EST
    detection: {},
    deadline: "2025-03-13T03:59:59.999Z", // end of Wed 12 Mar, EDT
    says: [
      "ship-by was Wed, Mar 12, 2025, 11:59 PM EDT",
      "2 business days of handling time after it came in on Sat, Mar 8, 2025, 10:00 AM EST, in America/New_York",
      "days off not counted: Sat, Mar 8, Sun, Mar 9",
      "store clock moved on 4 d 13 h to Thu, Mar 13, 2025, 12:00 AM EDT",
    ],
  },
  {
    name: "placed on a Tuesday with 3 handling days in the shop's settings: late from Saturday 00:00",
    placedAt: "2025-03-11T18:00:00Z", // Tue 14:00 EDT
    detection: { handlingDays: 3 },
    deadline: "2025-03-15T03:59:59.999Z", // end of Fri 14 Mar
    says: [
      "ship-by was Fri, Mar 14, 2025, 11:59 PM EDT",
      "3 business days of handling time after it came in on Tue, Mar 11, 2025, 2:00 PM EDT",
      "store clock moved on 3 d 10 h to Sat, Mar 15, 2025, 12:00 AM EDT",
    ],
  },
  {
    name: "placed on a Friday before a Monday holiday in the shop's settings: late from Wednesday 00:00",
    placedAt: "2025-03-14T20:00:00Z", // Fri 16:00 EDT
    detection: { handlingDays: 1, holidays: ["2025-03-17"] },
    deadline: "2025-03-19T03:59:59.999Z", // end of Tue 18 Mar
    says: [
      "ship-by was Tue, Mar 18, 2025, 11:59 PM EDT",
      "1 business day of handling time",
      "days off not counted: Sat, Mar 15, Sun, Mar 16, Mon, Mar 17 (holiday)",
      "store clock moved on 4 d 8 h to Wed, Mar 19, 2025, 12:00 AM EDT",
    ],
  },
])(
  '"Make this order late", $name, opens LATE_FULFILLMENT just past the deadline',
  async ({ placedAt, detection, deadline, says }) => {
    await shopAt(new Date(placedAt), detection);
    const order = await placeOrder();
    expect(await incidents()).toEqual([]);
    expect(await (await fetch(`${base}/demo`)).text()).toContain("Make this order late");

    const flash = await act("make_late", { order: order.id });
    for (const part of says) expect(flash).toContain(part);
    expect(flash).toContain("Amends detected it: late fulfillment, minor.");

    // Detected by the ship-by timer at the first moment the order is late: 1 ms past the deadline.
    const [incident] = await incidents();
    expect(incident).toMatchObject({ type: "LATE_FULFILLMENT", orderGid: gid("Order", order.id) });
    expect(incident!.detectedAt.toISOString()).toBe(new Date(Date.parse(deadline) + 1).toISOString());
    const evidence = incident!.evidence as { lateFulfillmentOrders: Array<{ deadline: string }> };
    expect(evidence.lateFulfillmentOrders.map((fo) => fo.deadline)).toEqual([deadline]);

    // A second click does not move the clock: the order is late already.
    const clock = sandbox.clock.now().getTime();
    const again = await act("make_late", { order: order.id });
    expect(again).toContain("is past it already");
    expect(sandbox.clock.now().getTime()).toBeGreaterThanOrEqual(clock);
    expect((await incidents()).map((i) => i.type)).toEqual(["LATE_FULFILLMENT"]);
  },
);

test('"Make this order late" on a shipped order says there is nothing to make late and leaves the clock', async () => {
  await shopAt(new Date("2025-03-08T15:00:00Z"));
  const order = await placeOrder();
  await act("fulfill", { order: order.id });
  await runner.settle();
  const before = sandbox.clock.now().getTime();
  expect(await act("make_late", { order: order.id })).toBe(
    `${order.name} has nothing left to ship: Amends holds it to no ship-by deadline.`,
  );
  expect(sandbox.clock.now().getTime()).toBe(before);
  expect(await incidents()).toEqual([]);
});

test('"Deliver the delay now" on a shipped order opens DELIVERY_DELAY at once, on a Sunday too', async () => {
  await shopAt(new Date("2025-03-09T16:00:00Z")); // Sun 12:00 EDT
  const order = await placeOrder();
  expect(await act("fulfill", { order: order.id })).toBe(`${order.name} shipped.`);
  await runner.settle();
  expect(await (await fetch(`${base}/demo`)).text()).toContain("Deliver the delay now");
  const shippedAt = sandbox.clock.now().getTime();

  const flash = await act("deliver_delay", { order: order.id });
  expect(flash).toContain(`${order.name}: the carrier reports a delay now; new estimate Fri, Mar 14, 2025`);
  expect(flash).toContain("Amends detected it: delivery delay, minor.");
  const [incident] = await incidents();
  expect(incident).toMatchObject({ type: "DELIVERY_DELAY", orderGid: gid("Order", order.id) });
  // Within the detection debounce of the report: no waiting for days to pass.
  expect(incident!.detectedAt.getTime() - shippedAt).toBeLessThan(60_000);
});
