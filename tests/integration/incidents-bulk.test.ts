/**
 * Bulk Close and Retry from the incidents list (issue 17 item 2, decision 0125) through the real
 * index action (authenticate.admin, the sandbox answering the token exchange): the same permission
 * check as the incident page's actions (INCIDENT_ACTION_LEVELS), the same path for each incident,
 * each in its timeline with who did it, and a partial failure that names the incidents it left.
 * Staff 1001 is the account owner; 1002 a support member (STAFF).
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action as incidentAction } from "../../app/routes/app.incidents.$id/route";
import { action, loader } from "../../app/routes/app.incidents._index/route";
import { issueOffer } from "../../app/services/issuing.server";
import { adminRequest, call } from "../helpers/admin-request";
import { acceptDeliveries, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";
import { decidedIncident, shopsWithAda } from "./offers-fixtures";

const SHOP = TEST_SHOP;
const OTHER = "amends-other-incidents-bulk.myshopify.com";
const OWNER = "1001";
const SUPPORT = "1002";
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let customerGid: string;

beforeEach(async () => {
  customerGid = await shopsWithAda(sandbox, [SHOP, OTHER]);
});

const decided = (shop = SHOP) => decidedIncident(shop, { customerGid });

async function approve(made: { incidentId: string; offerId: string }) {
  const result = await call(() =>
    incidentAction({
      request: adminRequest(`/app/incidents/${made.incidentId}`, {
        userId: OWNER,
        form: { intent: "approve", offerId: made.offerId },
      }),
      params: { id: made.incidentId },
      context: {},
    }),
  );
  expect(result).not.toBeInstanceOf(Response);
}

/** A made-good incident: approved by the owner and issued. */
async function issued() {
  const made = await decided();
  await approve(made);
  expect(await issueOffer(SHOP, made.offerId)).toMatchObject({ outcome: "ISSUED" });
  return made;
}

/** A make-good that failed to issue (the merchant took write_discounts back for a moment). */
async function failed() {
  const made = await decided();
  await approve(made);
  sandbox.admin.grants.revoke(SHOP, ["write_discounts"]);
  expect(await issueOffer(SHOP, made.offerId)).toMatchObject({ outcome: "FAILED" });
  sandbox.admin.grants.grant(SHOP, ["write_discounts"]);
  return made;
}

async function bulk(intent: string, incidentIds: string[], userId = OWNER, shop = SHOP) {
  const result = await call(() =>
    action({
      request: adminRequest("/app/incidents", { userId, shop, form: { intent, incidentIds } }),
      params: {},
      context: {},
    }),
  );
  if (result instanceof Response) return { status: result.status, body: await result.json() };
  return { status: 200, body: result };
}

const state = async (id: string) => (await prisma.incident.findUniqueOrThrow({ where: { id } })).state;
const closedBy = (incidentId: string) =>
  prisma.incidentEvent.findMany({ where: { shop: SHOP, incidentId, kind: "CLOSED" }, select: { actor: true } });

test("bulk close: the owner closes the settled ones, each in its timeline with who; the one still waiting is reported by order name", async () => {
  const a = await issued();
  const b = await issued();
  const waiting = await decided();
  const answer = await bulk("bulkClose", [a.incidentId, waiting.incidentId, b.incidentId]);
  expect(answer.status).toBe(200);
  expect(answer.body.message).toBe("2 of 3 incidents closed");
  const orderName = (await prisma.incident.findUniqueOrThrow({ where: { id: waiting.incidentId } })).orderName;
  expect(answer.body.results).toEqual([
    { incidentId: a.incidentId, orderName: expect.any(String), ok: true, message: "Incident closed" },
    { incidentId: waiting.incidentId, orderName, ok: false, message: expect.stringContaining("waits for approval") },
    { incidentId: b.incidentId, orderName: expect.any(String), ok: true, message: "Incident closed" },
  ]);
  expect([await state(a.incidentId), await state(b.incidentId), await state(waiting.incidentId)]).toEqual([
    "CLOSED",
    "CLOSED",
    "OPEN",
  ]);
  expect(await closedBy(a.incidentId)).toEqual([{ actor: OWNER }]);
  expect(await closedBy(b.incidentId)).toEqual([{ actor: OWNER }]);
});

test("bulk close is a manager's, as on the incident page: a support member is refused and nothing closes", async () => {
  const a = await issued();
  const page = await call(() =>
    loader({ request: adminRequest("/app/incidents", { userId: SUPPORT }), params: {}, context: {} }),
  );
  expect((page as { may: { close: boolean; retryIssue: boolean } }).may).toEqual({ close: false, retryIssue: true });
  const answer = await bulk("bulkClose", [a.incidentId], SUPPORT);
  expect(answer.status).toBe(403);
  expect(answer.body.message).toContain("manager");
  expect(await state(a.incidentId)).toBe("OPEN");
  expect(await closedBy(a.incidentId)).toEqual([]);
});

test("bulk retry: a support member retries the failed make-goods, recorded with who; one without a failure is reported", async () => {
  const broken = await failed();
  const fine = await issued();
  const answer = await bulk("bulkRetry", [broken.incidentId, fine.incidentId], SUPPORT);
  expect(answer.status).toBe(200);
  expect(answer.body.message).toBe("1 of 2 incidents sent to issue again");
  expect(answer.body.results.map((r: { ok: boolean; message: string }) => [r.ok, r.message])).toEqual([
    [true, "Issuing again"],
    [false, "No make-good of this incident failed to issue."],
  ]);
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: broken.offerId } })).status).toBe("APPROVED");
  expect(
    await prisma.offerTransition.findFirstOrThrow({
      where: { offerId: broken.offerId, fromStatus: "FAILED", toStatus: "APPROVED" },
    }),
  ).toMatchObject({ actor: SUPPORT, note: "retry issue" });
});

test("another shop's incidents are not found, and nothing of theirs changes; bad input is refused with a message", async () => {
  const theirs = await decided(OTHER);
  const answer = await bulk("bulkClose", [theirs.incidentId]);
  expect(answer.body.results).toEqual([
    { incidentId: theirs.incidentId, orderName: null, ok: false, message: "No such incident in this store." },
  ]);
  expect(await state(theirs.incidentId)).toBe("OPEN");
  expect(await bulk("bulkClose", [])).toMatchObject({
    status: 400,
    body: { ok: false, message: "Select at least one incident" },
  });
  expect(await bulk("bulkClose", ["not-an-id"])).toMatchObject({ status: 400 });
  expect(await bulk("explode", [theirs.incidentId])).toMatchObject({ status: 400, body: { ok: false } });
});

test("the list shows each incident's standing (the incident page's words), not its raw state", async () => {
  await issued();
  await decided();
  const page = (await call(() =>
    loader({ request: adminRequest("/app/incidents", { userId: OWNER }), params: {}, context: {} }),
  )) as { rows: Array<{ standing: { label: string } }> };
  expect(page.rows.map((r) => r.standing.label).sort()).toEqual(["Made good", "Waiting for approval"]);
});
