/**
 * The approval queue in a real browser: offers waiting for approval (made by decideIncident in the
 * demo's database) are approved and rejected by the signed-in owner; the rows leave and the
 * database says so; a rejection without a reason is refused beside the field.
 */
import { expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";
import { everyOfferWaits as everyOfferWaitsIn, issueSettles, pendingOffer as pendingOfferIn } from "./waiting-offers";

const browser = setUpBrowserHarness();

/** The page as staff see it once the confirmation toast has gone. */
async function toastGone(): Promise<void> {
  await browser.page
    .getByRole("button", { name: "Dismiss notification" })
    .waitFor({ state: "detached", timeout: 15_000 });
}

const pendingOffer = (orderName: string) => pendingOfferIn(browser, orderName);
const everyOfferWaits = () => everyOfferWaitsIn(browser);

test("the owner approves one waiting offer and rejects another; the rows leave and the database agrees", async () => {
  await everyOfferWaits();
  const toApprove = await pendingOffer("#Q1001");
  const toReject = await pendingOffer("#Q1002");

  await browser.signIn();
  const { page } = browser;
  await browser.gotoApp("/app/approvals");
  await page.getByRole("heading", { name: "Offers waiting for approval" }).waitFor();
  await page.getByRole("link", { name: "#Q1001", exact: true }).waitFor();
  expect(await page.getByRole("link", { name: "#Q1002", exact: true }).count()).toBe(1);
  expect(await page.getByText(/since the failure/).count()).toBeGreaterThanOrEqual(2);
  expect(await page.title()).toBe("Approvals · Amends");
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("approvals");

  // Approve: the row shows its new state at once and leaves once the server confirms.
  await page.getByRole("button", { name: "Approve the offer for #Q1001", exact: true }).click();
  await expect.poll(() => page.getByRole("link", { name: "#Q1001", exact: true }).count(), { timeout: 15_000 }).toBe(0);
  await page.getByText(/#Q1001: approved \$40/).waitFor();
  const approved = await prisma.offer.findUniqueOrThrow({ where: { id: toApprove } });
  // The worker in the web process may already be issuing it.
  expect(["APPROVED", "ISSUING", "ISSUED"]).toContain(approved.status);
  expect(approved.decidedBy).toBe("1001");

  // Reject without a reason: the error is beside the field, the offer still waits.
  await page.getByRole("button", { name: "Reject the offer for #Q1002" }).click();
  const dialog = page.getByRole("dialog", { name: "Reject the offer for #Q1002" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Reject offer" }).click();
  await dialog.getByText("Give a reason for rejecting (at least 3 characters)").waitFor();
  const reason = dialog.getByRole("textbox", { name: "Reason" });
  expect(await reason.getAttribute("aria-invalid")).toBe("true");
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: toReject } })).toMatchObject({
    status: "PENDING_APPROVAL",
  });
  await toastGone();
  await expectNoSeriousA11yViolations(page);

  await reason.fill("Customer was refunded in full by phone");
  await dialog.getByRole("button", { name: "Reject offer" }).click();
  await expect.poll(() => page.getByRole("link", { name: "#Q1002", exact: true }).count(), { timeout: 15_000 }).toBe(0);
  expect(await prisma.offer.findUniqueOrThrow({ where: { id: toReject } })).toMatchObject({
    status: "REJECTED",
    decidedBy: "1001",
  });
  expect(
    await prisma.offerTransition.findFirstOrThrow({ where: { offerId: toReject, toStatus: "REJECTED" } }),
  ).toMatchObject({ note: "Customer was refunded in full by phone" });

  await page.getByRole("heading", { name: "Nothing waiting for approval" }).waitFor();
  expect(
    await page.getByRole("main").getByRole("link", { name: "compensation grid", exact: true }).getAttribute("href"),
  ).toBe("/app/grid");
  expect(
    await page.getByRole("main").getByRole("link", { name: "approval rules", exact: true }).getAttribute("href"),
  ).toBe("/app/grid#approval-rules");
  await page.getByText("#Q1002: offer rejected").waitFor();
  await toastGone();
  await expectNoSeriousA11yViolations(page);
  expect(browser.browserErrors).toEqual([]);
});

test("a make-good Shopify refused to issue is listed under 'Make-goods that failed to issue' with the reason, and its link opens the incident where Retry is", async () => {
  const { shop, sandbox } = browser.demo;
  // The merchant took write_discounts back in Shopify: issuing the approved code is refused.
  sandbox.admin.grants.revoke(shop, ["write_discounts"]);
  try {
    await everyOfferWaits();
    const offerId = await pendingOffer("#Q2001");
    await browser.signIn();
    const { page } = browser;
    await browser.gotoApp("/app/approvals");
    await page.getByRole("button", { name: "Approve the offer for #Q2001", exact: true }).click();
    await expect
      .poll(() => page.getByRole("link", { name: "#Q2001", exact: true }).count(), { timeout: 15_000 })
      .toBe(0);
    // Refused, whichever runs the issue job first.
    await issueSettles(shop, offerId, "FAILED");

    await browser.gotoApp("/app/approvals");
    await page.getByRole("heading", { name: "Make-goods that failed to issue" }).waitFor();
    await page.getByText(/Shopify refused the request: Access denied .*write_discounts/).waitFor();
    await toastGone();
    await expectNoSeriousA11yViolations(page);
    await browser.screenshot("approvals-failed-make-goods");
    await page.getByRole("link", { name: "Open to retry: the incident of #Q2001" }).click();
    await page.getByRole("button", { name: "Retry issuing" }).waitFor();
    expect(browser.browserErrors).toEqual([]);
  } finally {
    sandbox.admin.grants.grant(shop, ["write_discounts"]);
  }
});

test("a follow-up due is marked done and a low rating marked followed up from their lists; both leave the page and record who", async () => {
  const { shop } = browser.demo;
  await everyOfferWaits();
  const offer = await prisma.offer.findUniqueOrThrow({ where: { id: await pendingOffer("#F3001") } });
  await prisma.incidentEvent.create({
    data: {
      shop,
      incidentId: offer.incidentId,
      kind: "FOLLOW_UP_DUE",
      at: browser.demo.sandbox.clock.now(),
      data: { offerId: offer.id, reason: "no Flow workflow uses the follow-up trigger" },
    },
  });
  const rated = await prisma.offer.findUniqueOrThrow({ where: { id: await pendingOffer("#F3002") } });
  const rating = await prisma.rating.create({
    data: { shop, incidentId: rated.incidentId, score: 1, channel: "WEB", ratedAt: browser.demo.sandbox.clock.now() },
  });

  await browser.signIn();
  const { page } = browser;
  await browser.gotoApp("/app/approvals");
  await page.getByRole("heading", { name: "Follow-ups due" }).waitFor();
  await page.getByRole("heading", { name: "Low ratings to follow up" }).waitFor();
  await page.getByText("1 of 5", { exact: true }).waitFor();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Mark done: the follow-up for #F3001", exact: true }).click();
  await page.getByText("Follow-up marked done").waitFor();
  await toastGone();
  await page.getByRole("button", { name: "Mark followed up: the low rating for #F3002", exact: true }).click();
  await page.getByText("Low rating marked followed up").waitFor();
  await expect.poll(() => page.getByText("No follow-ups due.").count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => page.getByText("No low ratings waiting.").count(), { timeout: 15_000 }).toBe(1);
  expect(
    await prisma.incidentEvent.count({ where: { shop, incidentId: offer.incidentId, kind: "FOLLOW_UP_DONE" } }),
  ).toBe(1);
  expect(await prisma.rating.findUniqueOrThrow({ where: { id: rating.id } })).toMatchObject({ resolvedBy: "1001" });
  expect(browser.browserErrors).toEqual([]);
});
