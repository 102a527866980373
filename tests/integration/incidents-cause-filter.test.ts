/**
 * The incidents page filtered by one root cause (decision 0118), the link the dashboard's root
 * causes card and the weekly digest open: through the real loader and authenticate.admin, scoped
 * by shop, the product named from Shopify for the filter's chip.
 */
import { randomUUID } from "node:crypto";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { loader as indexLoader } from "../../app/routes/app.incidents._index/route";
import { clearCauseNames } from "../../app/services/cause-names.server";
import { gid } from "../../sandbox";
import { adminRequest } from "../helpers/admin-request";
import { acceptDeliveries, resetWithShops, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";

const OTHER = "amends-cause-other.myshopify.com";
const NOW = new Date("2026-11-02T15:00:00Z");
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let teapot: string;
let orders = 7000;

beforeEach(async () => {
  await resetWithShops(sandbox, NOW, [TEST_SHOP, OTHER]);
  clearCauseNames();
  const product = sandbox.activity.createProduct(TEST_SHOP, { title: "Teapot", variants: [{ price: "40.00" }] });
  teapot = gid("Product", product.id);
});

async function incident(rootCause: Record<string, string[]> | null, shop = TEST_SHOP): Promise<string> {
  orders += 1;
  const created = await prisma.incident.create({
    data: {
      id: randomUUID(),
      shop,
      orderGid: `gid://shopify/Order/${orders}`,
      orderName: `#${orders}`,
      type: "DELIVERY_DELAY",
      severity: "moderate",
      measure: { kind: "DAYS_LATE", days: 2 },
      evidence: {},
      ...(rootCause ? { rootCause: { productIds: [], carriers: [], locations: [], ...rootCause } } : {}),
      occurredAt: NOW,
      detectedAt: new Date(NOW.getTime() - orders * 1000),
    },
  });
  return created.orderName;
}

const index = async (query: string, shop = TEST_SHOP) => {
  const result = await indexLoader({
    request: adminRequest(`/app/incidents?${query}`, { shop }),
    params: {},
    context: {},
  });
  if (result instanceof Response) throw new Error(`index answered ${result.status}`);
  return result;
};

test("?cause= lists only that cause's incidents, of this shop only, with the cause's name for its chip", async () => {
  const both = await incident({ productIds: [teapot, "gid://shopify/Product/2"], carriers: ["UPS"] });
  const teapotOnly = await incident({ productIds: [teapot], carriers: ["DHL"] });
  const ups = await incident({ carriers: ["UPS"], locations: ["gid://shopify/Location/45"] });
  await incident(null);
  await incident({ productIds: [teapot], carriers: ["UPS"] }, OTHER);

  const byProduct = await index(`cause=product:${teapot.split("/").pop()}`);
  expect(byProduct.rows.map((r) => r.orderName).sort()).toEqual([both, teapotOnly].sort());
  expect(byProduct.causeLabel).toBe("Teapot");
  expect(byProduct.query.cause).toEqual({ dimension: "product", key: teapot });

  const byCarrier = await index("cause=carrier:UPS");
  expect(byCarrier.rows.map((r) => r.orderName).sort()).toEqual([both, ups].sort());
  expect(byCarrier.causeLabel).toBe("UPS");

  const byLocation = await index("cause=location:45");
  expect(byLocation.rows.map((r) => r.orderName)).toEqual([ups]);
  expect(byLocation.causeLabel).toBe("Location 45");

  // Combined with another filter, and a carrier no incident has.
  expect((await index("cause=carrier:UPS&state=CLOSED")).rows).toEqual([]);
  expect((await index("cause=carrier:FedEx")).rows).toEqual([]);
  // A malformed cause is no filter, not an error.
  const unfiltered = await index("cause=customer:7");
  expect(unfiltered.rows).toHaveLength(4);
  expect(unfiltered.causeLabel).toBeNull();
});
