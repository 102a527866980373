import { expect, test } from "vitest";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

/** The deliberately bad save answers 400 (field errors), which Chromium logs as a failed resource; anything else is a fault. */
const unexpectedBrowserErrors = () =>
  browser.browserErrors.filter((e) => !e.includes("the server responded with a status of 400"));

/** Open a settings page and let it settle: Vite may reload the page once after optimising a dependency it just met. */
async function openSettings(path = "", heading = "Settings"): Promise<void> {
  await browser.gotoApp(`/app/settings${path}`);
  await browser.page.waitForLoadState("networkidle");
  await browser.page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

test("the owner tunes the handling time: a bad value is explained beside the field, a good one is saved", async () => {
  await browser.signIn();
  const { page } = browser;
  await openSettings("/detection", "Detection");
  expect(await page.title()).toBe("Detection · Settings · Amends");

  const handling = page.getByLabel("Handling time");
  expect(await handling.inputValue()).toBe("2");
  await handling.fill("99");
  // The save bar appears only once something changed.
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Enter at most 60").waitFor();
  // The message is tied to the field (aria-describedby), not just somewhere on the page.
  const describedBy = (await handling.getAttribute("aria-describedby")) ?? "";
  const described = await Promise.all(describedBy.split(" ").map((id) => page.locator(`[id="${id}"]`).textContent()));
  expect(described.join(" ")).toContain("Enter at most 60");
  await page.getByText("Nothing was saved.").waitFor();

  await handling.fill("3");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Settings saved").waitFor();
  expect(await page.getByRole("button", { name: "Save", exact: true }).count()).toBe(0);

  // Money is typed in the shop currency and comes back the same after a reload.
  await openSettings("/guardrails", "Guardrails & budget");
  await page.getByLabel("Monthly budget").fill("1500");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Settings saved").waitFor();

  await openSettings("/detection", "Detection");
  expect(await page.getByLabel("Handling time").inputValue()).toBe("3");
  await openSettings("/guardrails", "Guardrails & budget");
  expect(await page.getByLabel("Monthly budget").inputValue()).toBe("1500.00");
  await page.getByText(/of \$1,500\./).waitFor();
  expect(unexpectedBrowserErrors()).toEqual([]);
});

test("the message preview follows what the merchant types, and the page is accessible", async () => {
  const { page } = browser;
  await openSettings("/messages", "Customer messages");
  const preview = page.getByTestId("preview-body");
  await preview.waitFor();
  expect(await preview.textContent()).toContain("15% off your next order with the code SORRY-7KQ2");

  const offerText = page.getByRole("textbox", { name: "The make-good: Percentage discount code" });
  await offerText.fill("Please take {{amount}} off with {{code}}, on us.");
  await expect.poll(() => preview.textContent()).toContain("Please take 15% off with SORRY-7KQ2, on us.");
  await offerText.fill("Please take {{amont}} off");
  await page.getByText("The preview can't be shown yet").waitFor();
  await page.getByRole("button", { name: "Discard" }).click();
  await expect.poll(() => preview.textContent()).toContain("15% off your next order");

  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("settings");
  expect(unexpectedBrowserErrors()).toEqual([]);
});

test("a staff member sees every setting but may change none: fields are disabled and say what they need", async () => {
  const { page } = browser;
  // The owner's saves of the first test are in the change history, who and what, before and after.
  await openSettings();
  await page.getByText("Handling time: 2 → 3").waitFor();
  // The index says each section's current values.
  await page.getByText(/^Late after 3 business days · no shipping Sun, Sat/).waitFor();
  await page.getByText(/budget 1500\.00 USD a month/).waitFor();
  await page
    .getByText(/Settings: Olivia Owner \(Owner\)/)
    .first()
    .waitFor();

  await browser.gotoApp(`${new URL(browser.demo.signInUrl).pathname}?staff=1002`);
  await openSettings("/detection", "Detection");
  expect(await page.getByLabel("Handling time").isDisabled()).toBe(true);
  await page.getByText(/^Needs manager\. Business days you promise to ship in/).waitFor();
  await openSettings("/guardrails", "Guardrails & budget");
  expect(await page.getByLabel("Auto-approve up to").isDisabled()).toBe(true);
  expect(await page.getByLabel("Monthly budget").isDisabled()).toBe(true);
  await page.getByText(/^Needs the account owner\. Face value issued plus waiting offers/).waitFor();
  await openSettings("/notifications", "Notifications & email");
  expect(await page.getByLabel("Send apologies by email through this server").isDisabled()).toBe(true);
  expect(await page.getByLabel("Let Shopify email gift cards").isDisabled()).toBe(true);
  // Nothing to save: the save bar never appears.
  expect(await page.getByRole("button", { name: "Save", exact: true }).count()).toBe(0);
  await expectNoSeriousA11yViolations(page);
  expect(unexpectedBrowserErrors()).toEqual([]);
});
