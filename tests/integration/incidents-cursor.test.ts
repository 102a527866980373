/** The incidents index's keyset cursor is one of the shop's own incidents, or no cursor at all. */
import { randomUUID } from "node:crypto";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { loader as indexLoader } from "../../app/routes/app.incidents._index/route";
import { adminRequest } from "../helpers/admin-request";
import { acceptDeliveries, resetWithShops, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";

const OTHER = "amends-cursor-other.myshopify.com";
const NOW = new Date("2026-11-02T15:00:00Z");
const HOUR = 60 * 60 * 1000;
const sandbox = sandboxForTests({ deliver: acceptDeliveries });

beforeEach(async () => {
  await resetWithShops(sandbox, NOW, [TEST_SHOP, OTHER]);
});

async function incident(shop: string, name: string, hoursAgo: number): Promise<string> {
  const detectedAt = new Date(NOW.getTime() - hoursAgo * HOUR);
  const row = await prisma.incident.create({
    data: {
      shop,
      orderGid: `gid://shopify/Order/${name.replace("#", "")}`,
      orderName: name,
      type: "LATE_FULFILLMENT",
      severity: "minor",
      state: "CLOSED",
      measure: { kind: "DAYS_LATE", days: 2 },
      evidence: {},
      occurredAt: new Date(detectedAt.getTime() - HOUR),
      detectedAt,
      holdout: false,
    },
  });
  return row.id;
}

async function index(query: string) {
  const result = await indexLoader({
    request: adminRequest(`/app/incidents?${query}`, { shop: TEST_SHOP }),
    params: {},
    context: {},
  });
  if (result instanceof Response) throw new Error(`index answered ${result.status}`);
  return result;
}

test("another shop's incident id as cursor gives the first page, not a page placed by that shop's row", async () => {
  for (let i = 1; i <= 6; i++) await incident(TEST_SHOP, `#10${i}`, 10 * i);
  // Detected between this shop's #103 and #104.
  const foreign = await incident(OTHER, "#9001", 35);

  const first = await index("");
  expect(first.rows.map((r) => r.orderName)).toEqual(["#101", "#102", "#103", "#104", "#105", "#106"]);
  for (const query of [`after=${foreign}`, `before=${foreign}`, `after=${randomUUID()}`, `before=${randomUUID()}`]) {
    const page = await index(query);
    expect(page.rows.map((r) => r.orderName)).toEqual(first.rows.map((r) => r.orderName));
    expect(page.page.hasPrevious).toBe(false);
  }

  // The shop's own incident still pages from where it stands.
  const own = first.rows[2]!.id;
  expect((await index(`after=${own}`)).rows.map((r) => r.orderName)).toEqual(["#104", "#105", "#106"]);
  expect((await index(`before=${own}`)).rows.map((r) => r.orderName)).toEqual(["#101", "#102"]);
});
