/** The acknowledgement's settings on the real page (decision 0113): the target's error sits beside its field. */
import { expect, test } from "vitest";
import { setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();

test("the target time to first contact: a bad value is explained beside the field, a good one is saved", async () => {
  await browser.signIn();
  const { page } = browser;
  await browser.gotoApp("/app/settings/messages");
  await page.waitForLoadState("networkidle");
  await page.getByRole("heading", { name: "Customer messages", level: 1 }).waitFor();

  const target = page.getByLabel("Acknowledge within");
  expect(await target.inputValue()).toBe("15");
  await target.fill("0");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Enter at least 1").waitFor();
  const describedBy = (await target.getAttribute("aria-describedby")) ?? "";
  const described = await Promise.all(describedBy.split(" ").map((id) => page.locator(`[id="${id}"]`).textContent()));
  expect(described.join(" ")).toContain("Enter at least 1");

  await target.fill("20");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Settings saved").waitFor();
  await browser.gotoApp("/app/settings/messages");
  await page.waitForLoadState("networkidle");
  expect(await page.getByLabel("Acknowledge within").inputValue()).toBe("20");
  expect(await page.getByLabel("Acknowledgement", { exact: true }).inputValue()).toContain("{{problem}}");
});
