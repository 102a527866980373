import { expect, test } from "vitest";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

test("a staff member signs in and sees the app home, which is accessible", async () => {
  await browser.signIn();
  const { page } = browser;

  await page.getByRole("heading", { name: "Nothing to make good yet" }).waitFor();
  expect(await page.getByText(/no store events have arrived yet/).count()).toBe(1);
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
