/**
 * The grid page's approval rules (issue 17, item 6; decision 0122): the card follows a change of the
 * auto-approve ceiling in Settings (reached by the card's own link) and a change of a cell's approval
 * in the grid editor (opened from the card), and the page stays accessible.
 */
import { expect, onTestFailed, test } from "vitest";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

const card = () => browser.page.locator("#approval-rules");
/** The innermost block under a group's heading in the card ("Wait for a manager or the owner"). */
const group = (heading: string) =>
  card()
    .locator("div")
    .filter({ has: browser.page.getByRole("heading", { name: heading, exact: true }) })
    .last();

async function openGrid() {
  await browser.gotoApp("/app/grid");
  await browser.page.waitForLoadState("networkidle");
  await browser.page.getByRole("heading", { name: "Approval rules" }).waitFor();
}

test("the approval rules say the new rule after the ceiling changes in Settings and a cell's approval in the editor", async () => {
  onTestFailed(async () => {
    await browser.screenshot("approval-rules-failed");
  });
  await browser.signIn();
  const { page } = browser;
  await openGrid();

  // The matrix's headers say what each severity and tier means with the shop's thresholds.
  await page.getByRole("columnheader", { name: /VIP customer\s*from 10 orders or \$1,000 spent/ }).waitFor();
  await page.getByRole("rowheader", { name: /^Critical\s*10\+ days late to ship/ }).waitFor();

  await card()
    .getByText(/A make-good worth more than \$50 waits for a staff member/)
    .waitFor();
  await card().getByRole("link", { name: "Edit the auto-approve ceiling" }).click();
  // The link opens the field's own settings page (decision 0126).
  await page.waitForURL(/\/app\/settings\/guardrails#decision\.autoApproveCeilingMinor$/);
  const ceiling = page.getByLabel("Auto-approve up to");
  expect(await ceiling.getAttribute("id")).toBe("decision.autoApproveCeilingMinor");
  // The link lands on the field, not the top of a long page.
  await expect
    .poll(() =>
      ceiling.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= innerHeight),
    )
    .toBe(true);
  await ceiling.fill("12.50");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Settings saved").waitFor();

  await openGrid();
  await card()
    .getByText(/A make-good worth more than \$12\.50 waits for a staff member/)
    .waitFor();

  expect(
    await group("Wait for a manager or the owner").getByRole("button", { name: "Open cell Minor × New" }).count(),
  ).toBe(0);
  await card().getByRole("button", { name: "Open cell Minor × New" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("heading", { name: "Edit Minor × New" }).waitFor();
  await dialog.getByLabel("Who approves").selectOption("MANAGER");
  await dialog.getByRole("button", { name: "Done" }).click();
  await card().getByText("save your changes to see them here").waitFor();

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page
    .getByRole("status")
    .filter({ hasText: /Saved as version \d+/ })
    .waitFor();
  await group("Wait for a manager or the owner").getByRole("button", { name: "Open cell Minor × New" }).waitFor();
  expect(await group("Go out at once").getByRole("button", { name: "Open cell Minor × New" }).count()).toBe(0);

  await expectNoSeriousA11yViolations(page);
  await card().scrollIntoViewIfNeeded();
  await browser.screenshot("approval-rules");
  expect(browser.browserErrors).toEqual([]);
});
