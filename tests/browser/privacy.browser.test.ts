import { readFile } from "node:fs/promises";
import { expect, test } from "vitest";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

test("the owner downloads a customer's data request once from the Privacy requests page", async () => {
  const { page, demo } = browser;
  await browser.signIn();
  const customer = [...demo.sandbox.store.shop(demo.shop).customers.values()][0]!;
  await demo.sandbox.activity.requestCustomerData(demo.shop, customer.id);

  // The delivery is processed by the demo's worker; the page lists the request once it is.
  await expect
    .poll(
      async () => {
        await browser.gotoApp("/app/privacy");
        return page.getByRole("button", { name: /^Download export/ }).count();
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(1);
  expect(await page.title()).toBe("Privacy requests · Amends");
  await page.getByRole("link", { name: "Privacy requests" }).first().waitFor();

  // The dashboard says a request waits (naming no customer) and links here; the navigation counts it.
  await browser.gotoApp("/app");
  await page.getByText("A customer data request is waiting for you").waitFor();
  expect(await page.getByRole("link", { name: "Privacy requests (1)" }).count()).toBe(1);
  expect(await page.getByText(customer.email ?? "no email").count()).toBe(0);
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("link", { name: "Open Privacy requests" }).click();
  await page.getByRole("button", { name: /^Download export/ }).waitFor();
  await expectNoSeriousA11yViolations(page);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: /^Download export/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^amends-data-request-${customer.id}-.*\\.json$`));
  const exported = JSON.parse(await readFile((await download.path())!, "utf8")) as { customerGid: string };
  expect(exported.customerGid).toBe(`gid://shopify/Customer/${customer.id}`);

  // Downloaded once: the export is gone and the button with it.
  await page.getByText(/^Downloaded /).waitFor();
  expect(await page.getByRole("button", { name: /^Download export/ }).count()).toBe(0);
  expect(browser.browserErrors).toEqual([]);
});
