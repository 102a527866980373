import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { seedRecoveryHistory } from "../integration/dashboard-fixtures";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

const summary = () => browser.page.getByText(/^\d+ incidents, \d+ offers issued$/).textContent();

test("the freshly installed demo shop: a first-run dashboard that says what to do first, accessible", async () => {
  await browser.signIn();
  const { page } = browser;
  await page.getByRole("heading", { name: "Nothing to make good yet" }).waitFor();
  await page.getByRole("heading", { name: "Setup guide" }).waitFor();
  expect(await page.getByRole("link", { name: "Open Settings" }).count()).toBe(1);

  await page.getByRole("button", { name: "See a sample offer" }).click();
  await page.getByText(/ships 3 business days late/).waitFor();
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("dashboard-empty");
  expect(browser.browserErrors).toEqual([]);
});

test("with a recovery history: figures and the by-type chart render, and a new date range updates the URL and the figures", async () => {
  const { page, demo } = browser;
  await seedRecoveryHistory(demo.shop, { now: demo.sandbox.clock.now(), count: 90, days: 45 });
  await browser.gotoApp("/app");

  await page.getByRole("heading", { name: "Did the make-goods bring customers back?" }).waitFor();
  await page.getByRole("heading", { name: "Extra revenue from make-goods" }).waitFor();
  // Incidents by type: one bar chart against the period before, drawn with the page (no chart script to wait for).
  const byType = page.locator('table[data-chart="count-bars"]').first();
  await byType.waitFor({ timeout: 20_000 });
  expect(await byType.locator("thead th").allTextContents()).toEqual([
    "Type",
    "This period",
    "Previous 30 days",
    expect.stringMatching(/^Bars/),
  ]);
  const counts = (await byType.locator("tbody tr td:nth-of-type(1)").allTextContents()).map((t) =>
    Number.parseInt(t, 10),
  );
  expect(counts.length).toBeGreaterThan(1);
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
  const ticks = (await byType.locator("[data-axis]").getAttribute("data-axis"))!.split(",").map(Number);
  expect(ticks.every(Number.isInteger)).toBe(true);
  // The five-colour daily stack is gone: no chart library's SVG and no figure waiting for one.
  expect(await page.locator("figure svg").count()).toBe(0);
  const last30 = await summary();
  expect(last30).toMatch(/^(\d+) incidents/);
  // Every seeded incident is still inside its window: no result yet, and the page says when one is due.
  await page.getByText(/^The first readout comes once 1000 incidents have been followed for 90 days/).waitFor();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: /^Date range: Last 30 days/ }).click();
  await page.getByRole("menuitem", { name: "Last 7 days" }).click();
  await page.waitForURL(/\/app\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
  await expect.poll(summary, { timeout: 15_000 }).not.toBe(last30);
  const count = (text: string | null) => Number(/^(\d+)/.exec(text ?? "")?.[1]);
  expect(count(await summary())).toBeLessThan(count(last30));
  expect(await page.getByRole("button", { name: /^Date range: Last 7 days/ }).count()).toBe(1);
  expect(browser.browserErrors).toEqual([]);
});

test("with a year of history: the latest readout with its intervals, money figures and time to offer", async () => {
  const { page, demo } = browser;
  // Rounds of 200 incidents (40 held out each) so 600 matured incidents make three readouts.
  const row = await prisma.shop.findUniqueOrThrow({ where: { shop: demo.shop } });
  const settings = (row.settings ?? {}) as Record<string, Record<string, unknown>>;
  await prisma.shop.update({
    where: { shop: demo.shop },
    data: { settings: { ...settings, attribution: { ...settings.attribution, readoutIncidents: 200 } } },
  });
  await seedRecoveryHistory(demo.shop, {
    now: new Date(demo.sandbox.clock.now().getTime() - 100 * 86_400_000),
    count: 600,
    days: 300,
    orderPrefix: "#Y",
    firstOrder: 20_000,
  });
  await browser.gotoApp("/app");
  await page.getByText(/^Readout \d+: incidents detected/).waitFor({ timeout: 20_000 });
  await page.getByRole("heading", { name: "Lift (95% interval)" }).waitFor();
  await page.getByRole("heading", { name: "Per make-good that went out" }).waitFor();
  expect(await page.getByText(/^Customers whose incidents were assigned a make-good ordered again/).count()).toBe(1);
  expect(await page.getByRole("rowheader", { name: "Readout 1", exact: true }).count()).toBe(1); // earlier readouts listed
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("dashboard");
  expect(browser.browserErrors).toEqual([]);
});

test("Hide the setup guide hides it for good", async () => {
  const { page, demo } = browser;
  await page.getByRole("button", { name: "Hide the setup guide" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Setup guide" }).count(), { timeout: 15_000 }).toBe(0);
  await browser.gotoApp("/app");
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  expect(await page.getByRole("heading", { name: "Setup guide" }).count()).toBe(0);
  const shop = await prisma.shop.findUniqueOrThrow({ where: { shop: demo.shop } });
  expect(shop.settings).toMatchObject({ onboarding: { dismissedAt: expect.any(String) } });
  expect(browser.browserErrors).toEqual([]);
});
