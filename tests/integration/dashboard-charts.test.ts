/**
 * The dashboard's charts (issue 17 item 7, decision 0124) through the real loader and
 * authenticate.admin: incidents by type against the period of the same length just before, and
 * root causes named from the sandbox store (product titles, location names), with the id when
 * Shopify refuses or fails the read.
 */
import { randomUUID } from "node:crypto";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import type { IncidentType } from "../../app/recovery";
import { loader } from "../../app/routes/app._index";
import { clearCauseNames } from "../../app/services/cause-names.server";
import { appTomlScopes } from "../helpers/app-scopes";
import { adminRequest, call } from "../helpers/admin-request";
import { resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";
import { gid } from "../../sandbox";

const OTHER_SHOP = "amends-charts-other.myshopify.com";
// A Monday afternoon in UTC: "today" is 2026-11-16 for both shops.
const NOW = new Date("2026-11-16T15:00:00Z");
const sandbox = sandboxForTests();

beforeEach(async () => {
  await resetSandbox(sandbox, NOW);
  clearCauseNames();
  for (const domain of [TEST_SHOP, OTHER_SHOP])
    sandbox.store.addShop({ domain, currency: "USD", plan: "Basic", ianaTimezone: "UTC" });
});

type LoaderData = Exclude<Awaited<ReturnType<typeof loader>>, Response>;

async function load(path: string, shop = TEST_SHOP): Promise<LoaderData> {
  const result = await call<unknown>(() => loader({ request: adminRequest(path, { shop }), params: {}, context: {} }));
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result as LoaderData;
}

let order = 9000;
async function incidents(
  n: number,
  options: { type?: IncidentType; day: string; shop?: string; rootCause?: Record<string, string[]> },
): Promise<void> {
  for (let i = 0; i < n; i++) {
    order += 1;
    const detectedAt = new Date(`${options.day}T12:00:00Z`);
    await prisma.incident.create({
      data: {
        id: randomUUID(),
        shop: options.shop ?? TEST_SHOP,
        orderGid: `gid://shopify/Order/${order}`,
        orderName: `#${order}`,
        type: options.type ?? "DELIVERY_DELAY",
        severity: "moderate",
        measure: { kind: "DAYS_LATE", days: 2 },
        evidence: {},
        rootCause: { productIds: [], carriers: [], locations: [], ...options.rootCause },
        occurredAt: detectedAt,
        detectedAt,
      },
    });
  }
}

test("incidents by type: the range against the same number of days just before it, most first, small counts marked", async () => {
  await load("/app"); // installs both shops
  await load("/app", OTHER_SHOP);
  // The range: Nov 10-16 (7 days). The period before: Nov 3-9.
  await incidents(4, { type: "LATE_FULFILLMENT", day: "2026-11-10" });
  await incidents(1, { type: "REFUND", day: "2026-11-16" });
  await incidents(2, { type: "LATE_FULFILLMENT", day: "2026-11-09" });
  await incidents(3, { type: "DELIVERY_DELAY", day: "2026-11-03" });
  // Outside both periods, and another shop's in the period before: not counted.
  await incidents(5, { type: "REFUND", day: "2026-11-02" });
  await incidents(9, { type: "REFUND", day: "2026-11-05", shop: OTHER_SHOP });

  const data = await load("/app?from=2026-11-10&to=2026-11-16");

  expect(data.incidentsByType).toEqual({
    previous: { from: "2026-11-03", to: "2026-11-09" },
    rows: [
      { type: "LATE_FULFILLMENT", count: 4, previous: 2, small: false },
      { type: "REFUND", count: 1, previous: 0, small: true },
      { type: "DELIVERY_DELAY", count: 0, previous: 3, small: false },
    ],
  });
});

test("root causes: products by their title from Shopify, one read per few minutes; locations by their recorded name", async () => {
  await load("/app");
  const mug = gid(
    "Product",
    sandbox.activity.createProduct(TEST_SHOP, { title: "Enamel mug", variants: [{ price: "12.00" }] }).id,
  );
  await incidents(3, {
    day: "2026-11-15",
    rootCause: { productIds: [mug], carriers: ["UPS"], locations: ["Leeds depot"] },
  });
  await incidents(1, { day: "2026-11-15", rootCause: { locations: ["Harbour warehouse"] } });

  const data = await load("/app");

  expect(data.causeNames).toEqual({ [mug]: "Enamel mug" });
  expect(data.metrics.rootCauses.byLocation).toEqual([
    { key: "Leeds depot", count: 3 },
    { key: "Harbour warehouse", count: 1 },
  ]);
  const reads = () => sandbox.admin.calls.filter((c) => c.operationName === "AmendsProductTitles").length;
  expect(reads()).toBe(1);
  await load("/app");
  expect(reads()).toBe(1);
  // Locations need no read, so no read_locations scope: the name is the one Shopify recorded on the order.
  expect(appTomlScopes().split(",")).not.toContain("read_locations");
});

test("Shopify failing every read: the dashboard loads and shows the ids", async () => {
  await load("/app");
  const mug = gid(
    "Product",
    sandbox.activity.createProduct(TEST_SHOP, { title: "Enamel mug", variants: [{ price: "12.00" }] }).id,
  );
  await incidents(3, { day: "2026-11-15", rootCause: { productIds: [mug], locations: ["Leeds depot"] } });
  sandbox.admin.faults.configure("*", { serverErrorShare: 1, seed: 1 });

  const data = await load("/app");
  sandbox.admin.faults.configure("*", { serverErrorShare: 0, seed: 1 });

  expect(data.causeNames).toEqual({});
  expect(data.metrics.rootCauses.byProduct).toEqual([{ key: mug, count: 3 }]);
});
