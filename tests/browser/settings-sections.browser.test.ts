/**
 * Settings the Shopify way (issue 17, item 5; decision 0126): the index lists each section with its
 * current values; each section page saves its own settings, which come back after a reload; the
 * pickers (a holiday from the date picker, a typed tag, a template variable at the cursor) work; an
 * old /app/settings#<field> link lands on the field's page with the field focused.
 */
import { expect, onTestFailed, test } from "vitest";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

async function open(path: string, heading: string): Promise<void> {
  await browser.gotoApp(path);
  await browser.page.waitForLoadState("networkidle");
  await browser.page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

async function save(): Promise<void> {
  const { page } = browser;
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Settings saved").waitFor();
  await expect.poll(() => page.getByRole("button", { name: "Save", exact: true }).count()).toBe(0);
}

const SECTIONS = [
  "Detection",
  "Severity & tiers",
  "Guardrails & budget",
  "Approvals & staff",
  "Customer messages",
  "Notifications & email",
  "Measurement",
];

test("the index lists every section with its values, and an old #field link lands on the field", async () => {
  onTestFailed(async () => {
    await browser.screenshot("settings-sections-index-failed");
  });
  await browser.signIn();
  const { page } = browser;
  await open("/app/settings", "Settings");
  for (const name of SECTIONS) await page.getByRole("link", { name, exact: true }).waitFor();
  await page.getByText(/^Late after 2 business days · no shipping Sun, Sat · 0 holidays/).waitFor();
  await page.getByRole("heading", { name: "Change history" }).waitFor();
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("settings-index");

  await page.getByRole("link", { name: "Approvals & staff", exact: true }).click();
  await page.getByRole("heading", { name: "Approvals & staff", level: 1 }).waitFor();
  // The owner has no limit of their own to set.
  expect(await page.getByLabel("Owner may approve up to").count()).toBe(0);
  await page.getByLabel("Staff may approve up to").waitFor();

  await browser.gotoApp("/app/settings#decision.autoApproveCeilingMinor");
  await page.waitForURL(/\/app\/settings\/guardrails#decision\.autoApproveCeilingMinor$/);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("decision.autoApproveCeilingMinor");

  // Every kind of field is a link target: a group of choices focuses its first choice, a checkbox itself.
  await browser.gotoApp("/app/settings#decision.enabledIncidentTypes");
  await page.waitForURL(/\/app\/settings\/detection#decision\.enabledIncidentTypes$/);
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.closest("[id='decision.enabledIncidentTypes']") !== null))
    .toBe(true);
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe("checkbox");
  await browser.gotoApp("/app/settings#detection.countReturnRefunds");
  await page.waitForURL(/\/app\/settings\/detection#detection\.countReturnRefunds$/);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("detection.countReturnRefunds");
  expect(browser.browserErrors).toEqual([]);
});

test("each section page saves its own settings, and they come back after a reload", async () => {
  onTestFailed(async () => {
    await browser.screenshot("settings-sections-failed");
  });
  const { page } = browser;

  // Detection: a holiday from the date picker, a typed tag, a weekday in the row.
  await open("/app/settings/detection", "Detection");
  await page.getByRole("button", { name: "Add a holiday" }).click();
  await page.locator("button.Polaris-DatePicker__Day").filter({ hasText: /^15$/ }).first().click();
  const holiday = page.getByRole("button", { name: /^Remove holiday \d{4}-\d{2}-15$/ });
  await holiday.waitFor();
  const date = ((await holiday.getAttribute("aria-label")) ?? "").replace("Remove holiday ", "");
  const orderTags = page.getByRole("combobox", { name: "Excluded order tags" });
  await orderTags.click();
  await orderTags.pressSequentially("b2b-test");
  await page.getByRole("option", { name: 'Add "b2b-test"' }).click();
  await page.getByRole("button", { name: "Remove Excluded order tags b2b-test" }).waitFor();
  // The weekdays are one named group in a row.
  await page.getByRole("group", { name: "Days you don't ship (weekends)" }).getByLabel("Wednesday").check();
  await expectNoSeriousA11yViolations(page);
  await save();
  await open("/app/settings/detection", "Detection");
  await page.getByText(date, { exact: true }).waitFor();
  await page.getByText("b2b-test", { exact: true }).waitFor();
  expect(await page.getByLabel("Wednesday").isChecked()).toBe(true);

  // Severity & tiers.
  await open("/app/settings/severity", "Severity & tiers");
  await page.getByLabel("Repeat customer window").fill("45");
  await save();
  await open("/app/settings/severity", "Severity & tiers");
  expect(await page.getByLabel("Repeat customer window").inputValue()).toBe("45");

  // Guardrails & budget.
  await open("/app/settings/guardrails", "Guardrails & budget");
  await page.getByLabel("Cooldown per customer").fill("21");
  await save();
  await open("/app/settings/guardrails", "Guardrails & budget");
  expect(await page.getByLabel("Cooldown per customer").inputValue()).toBe("21");

  // Approvals & staff.
  await open("/app/settings/approvals", "Approvals & staff");
  await page.getByLabel("Escalate to a manager after").fill("6");
  await save();
  await open("/app/settings/approvals", "Approvals & staff");
  expect(await page.getByLabel("Escalate to a manager after").inputValue()).toBe("6");

  // Customer messages: a variable goes in where the cursor is.
  await open("/app/settings/messages", "Customer messages");
  const subject = page.getByLabel("Subject", { exact: true });
  await subject.fill("Sorry about  order");
  await subject.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(12, 12));
  await page.getByRole("button", { name: "Insert variable into Subject" }).click();
  await page.getByRole("menuitem", { name: "{{orderName}}" }).click();
  expect(await subject.inputValue()).toBe("Sorry about {{orderName}} order");
  await save();
  await open("/app/settings/messages", "Customer messages");
  expect(await page.getByLabel("Subject", { exact: true }).inputValue()).toBe("Sorry about {{orderName}} order");

  // Notifications & email: the mail server's fields only once mail sending is on.
  await open("/app/settings/notifications", "Notifications & email");
  expect(await page.getByLabel("SMTP host").count()).toBe(0);
  await page.getByLabel("Send apologies by email through this server").check();
  await page.getByLabel("SMTP host").waitFor();
  await page.getByLabel("Send apologies by email through this server").uncheck();
  await expect.poll(() => page.getByLabel("SMTP host").count()).toBe(0);
  await page.getByLabel("Let Shopify email gift cards").uncheck();
  await save();
  await open("/app/settings/notifications", "Notifications & email");
  expect(await page.getByLabel("Let Shopify email gift cards").isChecked()).toBe(false);

  // Measurement.
  await open("/app/settings/measurement", "Measurement");
  await page.getByLabel("Follow up after").fill("60");
  await save();
  await open("/app/settings/measurement", "Measurement");
  expect(await page.getByLabel("Follow up after").inputValue()).toBe("60");

  // The index says the new values.
  await open("/app/settings", "Settings");
  await page.getByText(/no shipping Sun, Wed, Sat · 1 holiday ·/).waitFor();
  await page.getByText(/^Escalate after 6 hours/).waitFor();
  await page.getByText(/follow-up after 60 hours$/).waitFor();
  await page.getByText(/gift card off/).waitFor();
  expect(browser.browserErrors).toEqual([]);
});
