/**
 * Staff see only the last four characters of a make-good's code, on every page and export; a
 * MANAGER or OWNER reveals the full code on the incident page, and each reveal is audited
 * (decision 0019). Through the real loaders and action (authenticate.admin, the sandbox answering
 * the token exchange). Staff 1001 is the account owner; 1002 a support member (STAFF unless made
 * MANAGER in the shop's settings).
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { loader as exportLoader } from "../../app/routes/app.export.offers[.]csv";
import { action as detailAction, loader as detailLoader } from "../../app/routes/app.incidents.$id/route";
import { issueOffer } from "../../app/services/issuing.server";
import { orderRecoveryStatus } from "../../app/services/make-good.server";
import { gid } from "../../sandbox";
import { adminRequest, call } from "../helpers/admin-request";
import { acceptDeliveries, resetSandbox, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";
import { decidedIncident, createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = TEST_SHOP;
const OWNER = "1001";
const SUPPORT = "1002";
const DECISION = { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null };
const sandbox = sandboxForTests({ deliver: acceptDeliveries });

let incidentId: string;
let offerId: string;
let code: string;

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  // tests/helpers/db.ts truncateAll does not empty AuditEntry (yet).
  await prisma.auditEntry.deleteMany({ where: { shop: SHOP } });
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic", ianaTimezone: "UTC" });
  await createShopRow(SHOP, { decision: DECISION });
  const customerGid = gid(
    "Customer",
    sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }).id,
  );
  ({ incidentId, offerId } = await decidedIncident(SHOP, { customerGid }));
  expect(await issueOffer(SHOP, offerId)).toMatchObject({ outcome: "ISSUED" });
  code = (await prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).code ?? "";
  expect(code).toMatch(/^[23456789A-Z]{12,16}$/);
});

async function makeSupportManager(): Promise<void> {
  await prisma.shop.update({
    where: { shop: SHOP },
    data: { settings: { decision: DECISION, authority: { members: { [SUPPORT]: "MANAGER" } } } },
  });
}

const page = async (userId: string) => {
  const result = await call(() =>
    detailLoader({
      request: adminRequest(`/app/incidents/${incidentId}`, { userId }),
      params: { id: incidentId },
      context: {},
    }),
  );
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
};

const reveal = async (userId: string, id = offerId) => {
  const result = await call(() =>
    detailAction({
      request: adminRequest(`/app/incidents/${incidentId}`, { userId, form: { intent: "revealCode", offerId: id } }),
      params: { id: incidentId },
      context: {},
    }),
  );
  return result instanceof Response
    ? { status: result.status, body: (await result.json()) as { ok: boolean; code?: string; message: string } }
    : { status: 200, body: result as { ok: boolean; code?: string; message: string } };
};

const reveals = () => prisma.auditEntry.findMany({ where: { shop: SHOP, action: "offer.code.reveal" } });

test("a STAFF member sees only the last four characters (page, timeline, order block) and is refused the reveal with 403, nothing audited", async () => {
  const data = await page(SUPPORT);
  expect(data.canRevealCodes).toBe(false);
  const shown = JSON.stringify(data);
  expect(shown).not.toContain(code);
  expect(data.offers[0]?.code).toBe(`•••• ${code.slice(-4)}`);
  expect(data.timeline.some((t) => JSON.stringify(t).includes(`•••• ${code.slice(-4)}`))).toBe(true);

  const order = await orderRecoveryStatus(
    SHOP,
    (await prisma.incident.findUniqueOrThrow({ where: { id: incidentId } })).orderGid,
  );
  expect(JSON.stringify(order)).not.toContain(code);
  expect(order.incidents[0]?.offers[0]?.code).toBe(`•••• ${code.slice(-4)}`);

  const refused = await reveal(SUPPORT);
  expect(refused.status).toBe(403);
  expect(JSON.stringify(refused.body)).not.toContain(code);
  expect(await reveals()).toEqual([]);
});

test("a MANAGER reveals the full code, in groups of four, and the reveal is audited with who and which offer", async () => {
  await makeSupportManager();
  expect((await page(SUPPORT)).canRevealCodes).toBe(true);
  const revealed = await reveal(SUPPORT);
  expect(revealed).toMatchObject({ status: 200, body: { ok: true } });
  expect(revealed.body.code?.replaceAll(" ", "")).toBe(code);
  expect(revealed.body.code).toMatch(/^(\S{4} )+\S{1,4}$/);
  expect(await reveals()).toEqual([
    expect.objectContaining({ actor: SUPPORT, actorRole: "MANAGER", subject: offerId, action: "offer.code.reveal" }),
  ]);
  // The page itself still shows the masked code: the reveal is one answer, not a setting.
  expect(JSON.stringify(await page(SUPPORT))).not.toContain(code);
});

test("the account owner may reveal too; an offer of another incident is not found and nothing is audited for it", async () => {
  expect(await reveal(OWNER)).toMatchObject({ status: 200, body: { ok: true } });
  expect((await reveals()).map((r) => [r.actor, r.actorRole])).toEqual([[OWNER, "OWNER"]]);
  const other = await reveal(OWNER, "6b0b6e58-3d3c-4c55-9a51-3a2f1f2b9c11");
  expect(other.status).toBe(404);
  expect(await reveals()).toHaveLength(1);
});

test("the offers CSV export carries no code", async () => {
  const response = await exportLoader({
    request: adminRequest(`/app/export/offers.csv?from=2026-10-01&to=2026-11-30`, { userId: OWNER }),
    params: {},
    context: {},
  });
  const body = await response.text();
  expect(body).toContain(offerId);
  expect(body).not.toContain(code);
  expect(body.toLowerCase()).not.toContain(code.toLowerCase());
});
