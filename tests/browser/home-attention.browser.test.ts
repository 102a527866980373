/**
 * The app home's "Needs attention" card in a real browser against the demo (issue 17 item 1,
 * decision 0120): a waiting offer with its age and Review, and a failed make-good's Retry.
 */
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { approveFromQueue } from "../../app/services/approval-queue.server";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";
import { everyOfferWaits, issueSettles, pendingOffer } from "./waiting-offers";

const browser = setUpBrowserHarness();

/** The page as staff see it once the confirmation toast has gone. */
async function toastGone(): Promise<void> {
  await browser.page
    .getByRole("button", { name: "Dismiss notification" })
    .waitFor({ state: "detached", timeout: 15_000 });
}

test('a waiting offer shows on the home card with its age; "Review" opens Approvals, where approving it works', async () => {
  await browser.signIn();
  await everyOfferWaits(browser);
  const offerId = await pendingOffer(browser, "#H1001");
  const { page } = browser;
  await browser.gotoApp("/app");
  const waiting = page.getByRole("heading", { name: /^\d+ offers? waiting for approval$/ });
  await waiting.waitFor();
  await page.getByText(/^The oldest has waited /).waitFor();
  // "Needs attention" comes before the numbers (their date range).
  const attentionTop = (await page.getByRole("heading", { name: "Needs attention" }).boundingBox())?.y;
  const numbersTop = (await page.getByRole("button", { name: /^Date range:/ }).boundingBox())?.y;
  expect(attentionTop).toBeDefined();
  expect(attentionTop!).toBeLessThan(numbersTop!);
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("home");

  await page.getByRole("link", { name: "Review the offers waiting for approval" }).click();
  await page.waitForURL("**/app/approvals");
  await page.getByRole("heading", { name: "Offers waiting for approval" }).waitFor();
  await page.getByRole("button", { name: "Approve the offer for #H1001", exact: true }).click();
  await expect.poll(() => page.getByRole("link", { name: "#H1001" }).count(), { timeout: 15_000 }).toBe(0);
  const approved = await prisma.offer.findUniqueOrThrow({ where: { id: offerId } });
  // The worker in the web process may already be issuing it.
  expect(["APPROVED", "ISSUING", "ISSUED"]).toContain(approved.status);
  expect(approved.decidedBy).toBe("1001");
  expect(browser.browserErrors).toEqual([]);
});

test("a make-good that failed to issue shows on the home card, and its Retry from there issues it again", async () => {
  const { shop, sandbox } = browser.demo;
  const { page } = browser;
  await browser.signIn();
  await everyOfferWaits(browser);
  // The merchant took write_discounts back in Shopify: issuing the approved code is refused.
  sandbox.admin.grants.revoke(shop, ["write_discounts"]);
  let offerId: string;
  try {
    offerId = await pendingOffer(browser, "#H2001");
    expect(await approveFromQueue(shop, offerId, { userId: "1001", accountOwner: true })).toMatchObject({ ok: true });
    // Refused, whichever runs the issue job first.
    await issueSettles(shop, offerId, "FAILED");
  } finally {
    sandbox.admin.grants.grant(shop, ["write_discounts"]);
  }

  await browser.gotoApp("/app");
  await page.getByRole("heading", { name: /^\d+ make-goods? failed to issue$/ }).waitFor();
  await page.getByText(/Shopify refused the request: Access denied .*write_discounts/).waitFor();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "Retry issuing the make-good of #H2001" }).click();
  await page.getByText("Issuing again: the make-good goes out in a moment.").waitFor();
  await expect
    .poll(() => page.getByRole("button", { name: "Retry issuing the make-good of #H2001" }).count(), {
      timeout: 15_000,
    })
    .toBe(0);
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).status).not.toBe("FAILED");
  expect(
    await prisma.offerTransition.count({
      where: { offerId, fromStatus: "FAILED", toStatus: "APPROVED", actor: "1001" },
    }),
  ).toBe(1);
  await toastGone();
  await expectNoSeriousA11yViolations(page);
  expect(browser.browserErrors).toEqual([]);
});
