/**
 * The customer's public rating page (decision 0117) in a real browser against the running app: no
 * admin session, the score from the link chosen, one button, accessible, a second use refused.
 */
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { RATING_LINK_MS, signRatingToken } from "../../app/recovery/ratings/token";
import { ratingKey } from "../../app/services/ratings/links.server";
import { gid } from "../../sandbox";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

/**
 * The page's Content-Security-Policy forbids every script, axe-core's injected one included: the test
 * checks the header is there, then lets axe in by dropping it from this page's copies of /rate/ only.
 */
let cspRouted = false;
async function letAxeIn(): Promise<void> {
  if (cspRouted) return;
  cspRouted = true;
  await browser.page.route("**/rate/**", async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    expect(headers["content-security-policy"]).toMatch(/default-src 'none'/);
    delete headers["content-security-policy"];
    await route.fulfill({ response, headers });
  });
}

async function ratingLink(): Promise<{ url: string; incidentId: string }> {
  const { shop, sandbox } = browser.demo;
  const customer = sandbox.activity.createCustomer(shop, {
    firstName: "Rita",
    lastName: "Rating",
    email: `rita-${Date.now()}@example.com`,
  });
  const now = sandbox.clock.now();
  const incident = await prisma.incident.create({
    data: {
      shop,
      orderGid: `gid://shopify/Order/${Math.floor(Math.random() * 1e9)}`,
      orderName: "#RATE1",
      customerGid: gid("Customer", customer.id),
      type: "DELIVERY_DELAY",
      severity: "moderate",
      measure: { kind: "DAYS_LATE", days: 3 },
      evidence: {},
      occurredAt: new Date(now.getTime() - 3 * 86_400_000),
      detectedAt: new Date(now.getTime() - 3 * 86_400_000),
    },
  });
  const token = signRatingToken(ratingKey(), {
    shop,
    incidentId: incident.id,
    expiresAt: new Date(now.getTime() + RATING_LINK_MS),
  });
  return { url: new URL(`/rate/${token}`, browser.demo.url).toString(), incidentId: incident.id };
}

test("a customer opens the rating link from the mail, sees their score chosen and sends it with one button", async () => {
  const { page } = browser;
  const { url, incidentId } = await ratingLink();
  await letAxeIn();
  await page.goto(`${url}?score=2`, { waitUntil: "load" });
  await page.getByRole("heading", { name: "How did we do?" }).waitFor();
  expect(await page.getByText("your order #RATE1").count()).toBe(1);
  const group = page.getByRole("group", { name: /Your rating/ });
  expect(await group.getByRole("radio").count()).toBe(5);
  expect(await group.getByRole("radio", { name: "2 – Unhappy" }).isChecked()).toBe(true);
  expect(await prisma.rating.count({ where: { incidentId } })).toBe(0);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("rating-page");

  // The customer changes their mind before sending: the page's own choice counts.
  await group.getByRole("radio", { name: "4 – Happy" }).check();
  await page.getByRole("button", { name: "Send my rating" }).click();
  await page.getByRole("heading", { name: "Thank you" }).waitFor();
  expect(await page.getByRole("status").textContent()).toBe("We recorded your rating: 4 of 5 (Happy).");
  await expectNoSeriousA11yViolations(page);
  expect(await prisma.rating.findUniqueOrThrow({ where: { incidentId } })).toMatchObject({ score: 4, channel: "WEB" });

  // The link is single use: opening it again says so.
  await page.goto(url, { waitUntil: "load" });
  await page.getByRole("heading", { name: "Already rated" }).waitFor();
  await expectNoSeriousA11yViolations(page);
  expect(browser.browserErrors).toEqual([]);
});

test("a broken link says so plainly", async () => {
  const { page } = browser;
  await letAxeIn();
  const response = await page.goto(new URL("/rate/not-a-real-link", browser.demo.url).toString(), {
    waitUntil: "load",
  });
  expect(response?.status()).toBe(404);
  await page.getByRole("heading", { name: "This link is not valid" }).waitFor();
  await expectNoSeriousA11yViolations(page);
});
