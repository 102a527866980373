import { expect, test } from "vitest";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

test("a staff member signs in and sees the app home, which is accessible", async () => {
  await browser.signIn();
  const { page } = browser;

  await page.getByRole("heading", { name: "Nothing to make good yet" }).waitFor();
  expect(await page.getByText(/no store events have arrived yet/).count()).toBe(1);
  // Today first: nothing to do, in one line. Then the setup guide with its progress, each action once.
  const attention = page.getByRole("heading", { name: "Needs attention", level: 2 });
  expect(await attention.count()).toBe(1);
  expect(await page.getByText(/^Nothing needs your attention/).count()).toBe(1);
  await page.getByRole("heading", { name: "Setup guide" }).waitFor();
  expect(await page.getByText(/^\d of 3 done$/).count()).toBe(1);
  // The first step, once: its title, and one primary action (the empty card has none of its own while the guide shows).
  expect(await page.getByText("Check the defaults", { exact: true }).count()).toBe(1);
  expect(await page.getByRole("link", { name: "Open Settings" }).count()).toBe(1);
  expect(await page.getByRole("link", { name: "Review the compensation grid" }).count()).toBe(0);
  expect(await page.getByRole("navigation", { name: "Amends" }).getByRole("link", { name: "Dashboard" }).count()).toBe(
    1,
  );
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("app-home");
  expect(browser.browserErrors).toEqual([]);
});

test("an order placed in the store control panel reaches Amends", async () => {
  const { page } = browser;
  await page.getByRole("link", { name: "Store control panel" }).click();
  await page.waitForURL("**/demo");
  await page.getByRole("heading", { name: "Sandbox store: Evergreen Outfitters" }).waitFor();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Place order" }).click();
  await page.waitForURL("**/demo?flash=*");
  await expect.poll(() => page.getByRole("status").textContent()).toMatch(/^#\d+ placed \(/);
  const sent = page.getByRole("region", { name: "Webhooks sent to Amends" });
  expect(await sent.getByRole("cell", { name: "orders/create" }).count()).toBeGreaterThan(0);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("store-control-panel");

  // The webhook went over HTTP to the app, which stored it: the app home counts it.
  await browser.gotoApp("/app");
  await page.getByText(/Amends has received \d+ store events/).waitFor();
  expect(browser.browserErrors).toEqual([]);
});

test('"Make this order late" and "Deliver the delay now" show both failures in Amends at once, whatever the day', async () => {
  const { page } = browser;
  await browser.gotoApp("/demo");
  await page.getByRole("button", { name: "Place order" }).click();
  await page.waitForURL("**/demo?flash=*");
  const placed = (await page.getByRole("status").textContent()) ?? "";
  const orderName = /^(#\d+) placed/.exec(placed)?.[1];
  expect(orderName, placed).toBeDefined();
  const orderRow = () =>
    page
      .getByRole("region", { name: "Latest orders" })
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: orderName, exact: true }) });
  const detectedRow = (incident: string) =>
    page
      .getByRole("region", { name: "What Amends detected and offered" })
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: orderName, exact: true }) })
      .filter({ hasText: incident });

  // The clock moves to just past the ship-by deadline Amends computes from its settings for the shop.
  await orderRow().getByRole("button", { name: "Make this order late" }).click();
  await page.waitForURL("**/demo?flash=*");
  const late = (await page.getByRole("status").textContent()) ?? "";
  expect(late).toMatch(
    new RegExp(
      `^${orderName}: Amends's ship-by was .+ \\(2 business days of handling time after it came in on .+, in America/New_York.*\\); store clock moved on .+ to .+, just past it\\. Amends detected it: late fulfillment, \\w+\\.$`,
    ),
  );
  expect(await detectedRow("late fulfillment").count()).toBe(1);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("store-control-panel-late");

  // Shipped late, and then the carrier reports a delay: a second incident, at once.
  await orderRow().getByRole("button", { name: "Ship" }).click();
  await page.waitForURL("**/demo?flash=*");
  await orderRow().getByRole("button", { name: "Deliver the delay now" }).click();
  await page.waitForURL("**/demo?flash=*");
  expect(await page.getByRole("status").textContent()).toMatch(
    new RegExp(
      `^${orderName}: the carrier reports a delay now; new estimate .+\\. Amends detected it: delivery delay, \\w+\\.$`,
    ),
  );
  expect(await detectedRow("delivery delay").count()).toBe(1);
  expect(browser.browserErrors).toEqual([]);
});
