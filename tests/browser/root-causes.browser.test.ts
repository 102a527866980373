/**
 * The dashboard's root causes link to their incidents (decision 0118), in a real browser against
 * the demo: clicking a carrier on the "Top root causes" card opens the incidents page filtered to
 * that carrier, with a chip naming it; removing the chip lists every incident again. Products show
 * by their titles in the store, locations by the names recorded on the orders, and small counts are
 * greyed (decision 0124).
 */
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();
const HOUR = 3_600_000;
const CARRIER = "Slowpoke Freight";

async function incident(
  orderName: string,
  carrier: string,
  hoursAgo: number,
  where: { productIds?: string[]; locations?: string[] } = {},
): Promise<void> {
  const { shop, sandbox } = browser.demo;
  const detectedAt = new Date(sandbox.clock.now().getTime() - hoursAgo * HOUR);
  await prisma.incident.create({
    data: {
      shop,
      orderGid: `gid://shopify/Order/${Math.floor(Math.random() * 1e9)}`,
      orderName,
      type: "DELIVERY_FAILURE",
      severity: "major",
      measure: { kind: "DELIVERY_FAILED", cause: "RETURNED_TO_SENDER", attempts: 1 },
      evidence: { orderTotalMinor: 8_000, orderSubtotalMinor: 8_000 },
      rootCause: { productIds: where.productIds ?? [], carriers: [carrier], locations: where.locations ?? [] },
      occurredAt: new Date(detectedAt.getTime() - HOUR),
      detectedAt,
    },
  });
}

test("clicking a root cause on the dashboard opens its incidents; the chip clears the filter", async () => {
  await browser.signIn();
  const { page } = browser;
  await incident("#RC1", CARRIER, 2);
  await incident("#RC2", CARRIER, 3);
  await incident("#RC3", "Other Post", 4);

  await browser.gotoApp("/app");
  await page.getByRole("heading", { name: "Top root causes" }).waitFor({ timeout: 20_000 });
  await page.getByRole("link", { name: `${CARRIER}: 2 incidents. Show them` }).click();

  await page.waitForURL(/\/app\/incidents\?cause=carrier%3ASlowpoke\+Freight/);
  await page.getByText(`Root cause: ${CARRIER}`).waitFor();
  await page.getByRole("link", { name: "#RC1" }).waitFor();
  expect(await page.getByRole("link", { name: "#RC2" }).count()).toBe(1);
  expect(await page.getByRole("link", { name: "#RC3" }).count()).toBe(0);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("incidents-by-root-cause");

  await page
    .getByRole("button", { name: /Clear|Remove/ })
    .first()
    .click();
  await expect.poll(() => new URL(page.url()).searchParams.get("cause"), { timeout: 15_000 }).toBeNull();
  await page.getByRole("link", { name: "#RC3" }).waitFor();
  expect(browser.browserErrors).toEqual([]);
});

test("root causes show product titles from the store and location names from the orders, each linking to its incidents; small counts greyed", async () => {
  await browser.signIn();
  const { page, demo } = browser;
  const kettle = `gid://shopify/Product/${demo.sandbox.activity.createProduct(demo.shop, { title: "Copper kettle", variants: [{ price: "60.00" }] }).id}`;
  // Locations are kept by the name Shopify recorded on the order's fulfillment order.
  const depot = "Harbour warehouse";
  const at = { productIds: [kettle], locations: [depot] };
  await incident("#NM1", "Quick Parcel", 2, at);
  await incident("#NM2", "Quick Parcel", 3, at);
  await incident("#NM3", "Quick Parcel", 4, at);
  await incident("#NM4", "Lone Courier", 5, { locations: [depot] });

  await browser.gotoApp("/app");
  await page.getByRole("heading", { name: "Top root causes" }).waitFor({ timeout: 20_000 });
  const card = page.locator("table", { has: page.getByRole("link", { name: /^Lone Courier: 1 incidents/ }) });
  // One incident is too few to call a pattern: its row is greyed and keeps its count.
  const lone = card.locator("tbody tr", { has: page.getByRole("link", { name: /^Lone Courier/ }) });
  expect(await lone.getAttribute("data-small")).toBe("true");
  expect(await lone.locator("td").first().textContent()).toMatch(/^1 \(fewer than 3/);
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("link", { name: "Harbour warehouse: 4 incidents. Show them" }).click();
  await page.waitForURL(/\/app\/incidents\?cause=location%3AHarbour(\+|%20)warehouse/);
  await page.getByText("Root cause: Harbour warehouse").waitFor();
  await page.getByRole("link", { name: "#NM4" }).waitFor();
  expect(await page.getByRole("link", { name: "#NM1" }).count()).toBe(1);

  await browser.gotoApp("/app");
  await page.getByRole("link", { name: "Copper kettle: 3 incidents. Show them" }).click();
  await page.waitForURL(new RegExp(`/app/incidents\\?cause=product%3A${kettle.split("/").pop()}`));
  await page.getByText("Root cause: Copper kettle").waitFor();
  expect(await page.getByRole("link", { name: "#NM4" }).count()).toBe(0);
  await expectNoSeriousA11yViolations(page);
  expect(browser.browserErrors).toEqual([]);
});
