/**
 * The dashboard's root causes link to their incidents (decision 0118), in a real browser against
 * the demo: clicking a carrier on the "Top root causes" card opens the incidents page filtered to
 * that carrier, with a chip naming it; removing the chip lists every incident again.
 */
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();
const HOUR = 3_600_000;
const CARRIER = "Slowpoke Freight";

async function incident(orderName: string, carrier: string, hoursAgo: number): Promise<void> {
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
      rootCause: { productIds: [], carriers: [carrier], locationIds: [] },
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
