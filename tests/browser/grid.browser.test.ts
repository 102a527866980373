/** The compensation grid editor in the demo: edit, save, history, restore, a cell error, the gift picker, the preview, the preferred kind and an experiment's arms. */
import { expect, onTestFailed, test } from "vitest";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

const grid = () => browser.page.getByRole("table").first();
const history = () => browser.page.getByRole("table").last();
// Polaris DataTable makes each row's first cell a row header.
const versionRow = (version: number) => history().getByRole("rowheader", { name: `v${version}`, exact: true });

/** The demo's toast (a status, or an alert for errors) with this text; closed so it does not cover the next step. */
async function seeToast(text: string) {
  const toast = browser.page.getByRole("status").or(browser.page.getByRole("alert")).filter({ hasText: text });
  await toast.waitFor();
  await toast.getByRole("button", { name: "Dismiss notification" }).click();
  await toast.waitFor({ state: "detached" });
}

function screenshotOnFailure(name: string) {
  onTestFailed(async () => {
    await browser.screenshot(`${name}-failed`);
  });
}

test("a merchant edits a cell, saves a new version, sees it in the history and restores the old one", async () => {
  screenshotOnFailure("grid-edit");
  await browser.signIn();
  const { page } = browser;
  await browser.gotoApp("/app/grid");
  await page.getByRole("heading", { name: "Make-good by severity and customer" }).waitFor();
  expect(await page.title()).toBe("Compensation grid · Amends");

  // The default major × VIP cell is store credit (decision 0104); the amount is typed in the shop currency.
  await page.getByRole("button", { name: "Edit Major × VIP: $25 store credit, 90 days, staff approves" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Amount").fill("30.00");
  await dialog.getByRole("button", { name: "Done" }).click();
  await grid().getByRole("button", { name: "Edit Major × VIP: $30 store credit, 90 days, staff approves" }).waitFor();

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("Saved as version 2");
  await history()
    .getByRole("cell", {
      name: /^1 change: major × VIP: \$25 store credit, 90-day expiry, staff → \$30 store credit, 90-day expiry, staff/,
    })
    .waitFor();
  expect(await versionRow(2).count()).toBe(1);

  await history().getByRole("button", { name: "Restore version 1" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Restore version 1" }).click();
  await seeToast("Version 1 restored as version 3");
  await versionRow(3).waitFor();
  await grid().getByRole("button", { name: "Edit Major × VIP: $25 store credit, 90 days, staff approves" }).waitFor();
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("grid-history");
  expect(browser.browserErrors).toEqual([]);
});

test("an invalid cell shows its error beside the field and beside the cell, and the save is refused", async () => {
  screenshotOnFailure("grid-error");
  const { page } = browser;
  await page.getByRole("button", { name: "Edit Minor × New: 10% code, 30 days, auto" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Discount").fill("150");
  await dialog.getByText("percent must be at most 100").waitFor();
  await dialog.getByRole("button", { name: "Done" }).click();

  const cell = grid()
    .getByRole("cell")
    .filter({ has: page.getByRole("button", { name: /^Edit Minor × New: 150% code/ }) });
  await cell.getByText("percent must be at most 100").waitFor();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("The grid was not saved: fix the problems shown beside the cells.");
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("grid-cell-error");

  await page.getByRole("button", { name: "Discard" }).click();
  await grid().getByRole("button", { name: "Edit Minor × New: 10% code, 30 days, auto" }).waitFor();
  expect(await versionRow(4).count()).toBe(0);
  // The refused save is the action's 400, which Chromium logs; nothing else went wrong.
  expect(browser.browserErrors).toEqual([expect.stringMatching(/status of 400 \(Bad Request\)$/)]);
  browser.browserErrors.length = 0;
});

test("an override for one incident type with a gift product from the demo's picker, previewed before saving", async () => {
  screenshotOnFailure("grid-override");
  const { page } = browser;
  await page.getByLabel("Applies to").selectOption("DELIVERY_FAILURE");
  await page.getByRole("button", { name: /^Edit Critical × VIP · Delivery failed:/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Make-good").selectOption("GIFT_PRODUCT");
  await dialog.getByText("choose the product variant to send").waitFor();
  await dialog.getByLabel("Search products").click();
  const option = page.getByRole("listbox").getByRole("option").first();
  await option.waitFor();
  const chosen = ((await option.textContent()) ?? "").replace(/ \([^()]*\)$/, "");
  await option.click();
  await dialog.getByText(`Gift product: ${chosen}`).waitFor();
  await dialog.getByRole("button", { name: "Done" }).click();
  await grid()
    .getByRole("button", { name: `Edit Critical × VIP · Delivery failed: free 1 × ${chosen}, manager approves` })
    .waitFor();
  expect(await grid().getByText("Override").count()).toBe(1);

  await page.getByRole("button", { name: "Preview", exact: true }).click();
  await page.getByText(/incidents (in|detected in) the last 90 days/).waitFor();
  await page.getByRole("heading", { name: "What this replay can and cannot know" }).waitFor();
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("grid-override-preview");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("Saved as version 4");
  await history()
    .getByRole("cell", { name: /delivery failed override critical × VIP: free gift product/ })
    .waitFor();
  expect(browser.browserErrors).toEqual([]);
});

test("the customer's preferred kind: turned on in a cell with its equivalents, an error beside the field, saved", async () => {
  screenshotOnFailure("grid-preferred");
  const { page } = browser;
  await page.getByLabel("Applies to").selectOption("BASE");
  await page.getByRole("button", { name: "Edit Moderate × New: 15% code, 45 days, auto" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Give the customer's preferred kind").check();
  await dialog.getByText("set the equivalent of at least one other kind, or turn the option off").waitFor();
  // A cell that gives a code has no code equivalent to set: its own value is the code's.
  expect(await dialog.getByLabel("Equivalent discount code").count()).toBe(0);
  await dialog.getByLabel("Equivalent store credit").fill("10.005");
  await dialog.getByText("enter an amount in USD, e.g. 10.00").waitFor();
  await dialog.getByLabel("Equivalent store credit").fill("10.00");
  await dialog.getByLabel("Equivalent gift card").fill("10.00");
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("grid-preferred-kind");
  await dialog.getByRole("button", { name: "Done" }).click();
  await grid()
    .getByRole("button", {
      name: "Edit Moderate × New: 15% code, 45 days, auto; or their preferred kind: $10 store credit, $10 gift card",
    })
    .waitFor();

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("Saved as version 5");
  await history()
    .getByRole("cell", {
      name: /moderate × NEW: 15% code, 45-day expiry, auto → 15% code, 45-day expiry, auto, or the customer's preferred kind: \$10 store credit, \$10 gift card/,
    })
    .waitFor();
  expect(browser.browserErrors).toEqual([]);
});

test("a free replacement: its shipping method and cost to the shop, each error beside its field, saved", async () => {
  screenshotOnFailure("grid-replacement");
  const { page } = browser;
  await page.getByRole("button", { name: "Edit Minor × New: 10% code, 30 days, auto" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Make-good").selectOption("REPLACEMENT");
  // A replacement ships: no expiry to set.
  expect(await dialog.getByLabel("Expires after (days)").count()).toBe(0);
  await dialog.getByLabel("Shipping method").fill("");
  await dialog.getByText("name the shipping method, e.g. Express").waitFor();
  await dialog.getByLabel("Shipping method").fill("Express");
  await dialog.getByLabel("Shipping cost to the shop").fill("fifteen");
  await dialog.getByText("enter what the shipping costs the shop in USD, e.g. 15.00 (0.00 if nothing)").waitFor();
  await dialog.getByLabel("Shipping cost to the shop").fill("15.00");
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("grid-replacement");
  await dialog.getByRole("button", { name: "Done" }).click();
  await grid().getByRole("button", { name: "Edit Minor × New: free replacement, Express ($15), auto" }).waitFor();

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("Saved as version 6");
  await history()
    .getByRole("cell", {
      name: /minor × NEW: 10% code, 30-day expiry, auto → free replacement of the affected lines, Express shipping/,
    })
    .waitFor();
  expect(browser.browserErrors).toEqual([]);
});

test("lifecycle stages: one stage's cells at a time, the others the same as the base grid, edited, saved and reset", async () => {
  screenshotOnFailure("grid-stages");
  const { page } = browser;
  // The install grid's playbooks (decision 0115): a welcome-back code for a first order.
  await page.getByLabel("Applies to").selectOption("FIRST_ORDER");
  await grid().getByRole("button", { name: "Edit Minor × New · First order: 10% code, 30 days, auto" }).waitFor();
  expect(await grid().getByText("Override").count()).toBe(8);
  expect(await grid().getByText("Follows base grid").count()).toBe(8);
  await page.getByText("8 of 16 cells set for customers on their first order").waitFor();

  await page.getByLabel("Applies to").selectOption("LAPSED");
  await page.getByText("Every cell is the same as the base grid for lapsed customers.").waitFor();
  expect(await grid().getByText("Override").count()).toBe(0);
  await page.getByRole("button", { name: "Edit Major × New · Lapsed: 20% code, 60 days, auto" }).click();
  const dialog = page.getByRole("dialog");
  await dialog
    .getByText("This cell follows the base grid. Saving a change here makes it an override for lapsed customers only.")
    .waitFor();
  await dialog.getByLabel("Discount").fill("30");
  await dialog.getByRole("button", { name: "Done" }).click();
  await grid().getByRole("button", { name: "Edit Major × New · Lapsed: 30% code, 60 days, auto" }).waitFor();
  expect(await grid().getByText("Override").count()).toBe(1);
  expect(await page.getByLabel("Applies to").locator("option", { hasText: "Lapsed (1 overridden)" }).count()).toBe(1);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("grid-lifecycle-stage");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("Saved as version 7");
  await history()
    .getByRole("cell", { name: /lapsed stage override major × NEW: 30% code, 60-day expiry, auto/ })
    .waitFor();

  // The base grid is unchanged by the stage's cell.
  await page.getByLabel("Applies to").selectOption("BASE");
  await grid().getByRole("button", { name: "Edit Major × New: 20% code, 60 days, auto" }).waitFor();

  await page.getByLabel("Applies to").selectOption("LAPSED");
  await page.getByRole("button", { name: "Reset lapsed to the base grid" }).click();
  await page.getByText("Every cell is the same as the base grid for lapsed customers.").waitFor();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("Saved as version 8");
  await history()
    .getByRole("cell", { name: /lapsed stage override major × NEW removed/ })
    .waitFor();
  expect(browser.browserErrors).toEqual([]);
});

test("an experiment: arms added beside the cell's make-good, an error beside an arm's field, labelled, saved, ended", async () => {
  screenshotOnFailure("grid-experiment");
  const { page } = browser;
  await page.getByLabel("Applies to").selectOption("BASE");
  await page.getByRole("button", { name: "Edit Major × New: 20% code, 60 days, auto" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Try another make-good (experiment)" }).click();
  // Arm A is the cell's make-good; arm B starts as store credit with A's expiry and approval.
  await dialog.getByLabel("Arm A label (optional)").waitFor();
  expect(await dialog.getByLabel("Arm B make-good").inputValue()).toBe("STORE_CREDIT");
  await dialog.getByLabel("Arm B amount").fill("12.505");
  await dialog.getByText("enter an amount in USD, e.g. 10.00").waitFor();
  await dialog.getByLabel("Arm B amount").fill("12.50");
  await dialog.getByLabel("Arm B label (optional)").fill("Credit");
  // Up to four arms; removing one takes its fields away.
  await dialog.getByRole("button", { name: "Add arm C" }).click();
  await dialog.getByLabel("Arm C make-good").selectOption("GIFT_CARD");
  await dialog.getByRole("button", { name: "Add arm D" }).click();
  expect(await dialog.getByRole("button", { name: /^Add arm/ }).count()).toBe(0);
  await dialog.getByRole("button", { name: "Remove arm D" }).click();
  await dialog.getByRole("button", { name: "Remove arm C" }).click();
  expect(await dialog.getByLabel("Arm C make-good").count()).toBe(0);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("grid-experiment");
  await dialog.getByRole("button", { name: "Done" }).click();
  const experiment =
    "Edit Major × New: Experiment: A (20% code, 60 days, auto) vs B “Credit” ($12.50 store credit, 60 days, auto)";
  await grid().getByRole("button", { name: experiment }).waitFor();

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("Saved as version 9");
  await history()
    .getByRole("cell", {
      name: /major × NEW: 20% code, 60-day expiry, auto → experiment A \(20% code, 60-day expiry, auto\) vs B “Credit” \(\$12\.50 store credit, 60-day expiry, auto\)/,
    })
    .waitFor();

  // Removing every arm after A ends the experiment; arm A stays the cell's make-good.
  await grid().getByRole("button", { name: experiment }).click();
  await dialog.getByRole("button", { name: "Remove arm B" }).click();
  await dialog.getByRole("button", { name: "Done" }).click();
  await grid().getByRole("button", { name: "Edit Major × New: 20% code, 60 days, auto" }).waitFor();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("Saved as version 10");
  expect(browser.browserErrors).toEqual([]);
});

test("now vs next morning: arm B gives arm A's make-good the next morning, shown in the cell and the history", async () => {
  screenshotOnFailure("grid-timing");
  const { page } = browser;
  await page.getByRole("button", { name: "Edit Major × New: 20% code, 60 days, auto" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Try now vs next morning (experiment)" }).click();
  expect(await dialog.getByLabel("Arm A issued").inputValue()).toBe("NOW");
  expect(await dialog.getByLabel("Arm B issued").inputValue()).toBe("NEXT_MORNING");
  expect(await dialog.getByLabel("Arm B discount").inputValue()).toBe("20");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("button", { name: "Done" }).click();
  await grid()
    .getByRole("button", {
      name: "Edit Major × New: Experiment: A “Same day” (20% code, 60 days, auto) vs B “Next morning” (20% code, 60 days, auto, next morning)",
    })
    .waitFor();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await seeToast("Saved as version 11");
  await history()
    .getByRole("cell", { name: /B “Next morning” \(20% code, 60-day expiry, auto, next morning\)/ })
    .waitFor();
  expect(browser.browserErrors).toEqual([]);
});
