/**
 * "Why Amends decided this" through the incident page's loader (decision 0123): a decision made
 * by the real service stores its steps as data in the DECIDED event, and the loader turns them
 * into the checklist and its Details; a decision stored before that shows its lines, reworded.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { holdoutDraw } from "../../app/recovery";
import { loader as detailLoader } from "../../app/routes/app.incidents.$id/route";
import { decideIncident } from "../../app/services/decision.server";
import { adminRequest } from "../helpers/admin-request";
import { acceptDeliveries, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";
import { createIncident, createShopRow, OFFERS_NOW, storeWithAda } from "./offers-fixtures";

const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let customerGid: string;

beforeEach(async () => {
  customerGid = await storeWithAda(sandbox, [TEST_SHOP]);
});

async function load(id: string) {
  const detail = await detailLoader({ request: adminRequest(`/app/incidents/${id}`), params: { id }, context: {} });
  if (detail instanceof Response) throw new Error(`detail answered ${detail.status}`);
  return detail;
}

const ENUM_WORDS = /LATE_FULFILLMENT|DISCOUNT_PERCENT|\bNEW\b|\bREGULAR\b|\bMANAGER\b|\bSTAFF\b|\bAUTO\b/;

test("a decided offer's page shows its checks from the stored record, the cell and the figures apart", async () => {
  await createShopRow(TEST_SHOP, { decision: { holdoutShare: 0, autoApproveCeilingMinor: 1_000 } });
  const id = await createIncident(TEST_SHOP, { customerGid });
  expect(await decideIncident(TEST_SHOP, id)).toMatchObject({ outcome: "DECIDED", decision: { kind: "OFFER" } });
  // The record is stored next to the lines, in the decision's event.
  const event = await prisma.incidentEvent.findFirstOrThrow({
    where: { shop: TEST_SHOP, incidentId: id, kind: "DECIDED" },
  });
  expect(event.data).toMatchObject({ why: { v: 1, kind: "OFFER", offerCap: { over: true } } });

  const { why } = await load(id);
  if (why?.kind !== "CHECKLIST") throw new Error(`expected a checklist, got ${JSON.stringify(why)}`);
  // The customer's lifecycle stage, when the shop's settings place one, is a note of its own.
  const stage = why.checklist.items.filter((i) => i.key === "stage");
  expect(stage.every((i) => i.status === "NOTE" && i.text.startsWith("Customer stage "))).toBe(true);
  const items = why.checklist.items.filter((i) => i.key !== "stage").map((i) => [i.key, i.status, i.text]);
  expect(items).toEqual([
    ["eligibility", "PASS", "Eligible for a make-good"],
    ["holdout", "PASS", "Not in the random comparison group"],
    ["cell", "NOTE", "Percentage discount code"],
    ["cooldown", "PASS", "No other make-good for this customer in the last 30 days"],
    [
      "yearly-limit",
      "PASS",
      expect.stringMatching(/^(Within this customer's yearly limit|No yearly limit per customer set)$/),
    ],
    ["offer-cap", "FAIL", "Above the auto-approve ceiling: someone approves"],
    ["budget", "PASS", expect.stringMatching(/^(Within the monthly budget|No monthly budget set)$/)],
    ["approval", "NOTE", "Waits for a staff member's approval"],
  ]);
  const cell = why.checklist.items.find((i) => i.key === "cell")?.cell;
  expect(cell).toMatchObject({
    title: expect.stringMatching(/^Major × (New|Regular|Loyal|VIP)( · First order)?$/),
    gridVersion: 1,
  });
  expect(why.checklist.details).toEqual(
    expect.arrayContaining([
      {
        label: "Comparison group",
        value: expect.stringMatching(/^Draw 0\.\d{4}; the group takes draws below 0\.00 \(0%\)$/),
      },
      { label: "Make-good value", value: "$40; auto-approve ceiling $10" },
    ]),
  );
  expect(JSON.stringify(why.checklist.items.map((i) => i.text))).not.toMatch(ENUM_WORDS);
});

test("a held-out incident's checklist stops at the comparison group", async () => {
  await createShopRow(TEST_SHOP, { decision: { holdoutShare: 0.5 } });
  const heldId = Array.from({ length: 200 }, () => crypto.randomUUID()).find((id) => holdoutDraw(id) < 0.5)!;
  await createIncident(TEST_SHOP, { id: heldId, customerGid });
  await decideIncident(TEST_SHOP, heldId);

  const { why } = await load(heldId);
  if (why?.kind !== "CHECKLIST") throw new Error(`expected a checklist, got ${JSON.stringify(why)}`);
  expect(why.checklist.items.map((i) => [i.key, i.status])).toEqual([
    ["eligibility", "PASS"],
    ["holdout", "FAIL"],
  ]);
  expect(why.checklist.details).toContainEqual({
    label: "Comparison group",
    value: `Draw ${holdoutDraw(heldId).toFixed(4)}; the group takes draws below 0.50 (50%)`,
  });
});

test("a decision stored before its record shows its lines, without numbering or enum words; an undecided one shows nothing", async () => {
  await createShopRow(TEST_SHOP);
  const old = await createIncident(TEST_SHOP, { customerGid });
  await prisma.incident.update({
    where: { id: old },
    data: {
      decision: "OFFER",
      explanation: [
        "Incident: major, 6 business days late to ship (LATE_FULFILLMENT)",
        "2. Holdout: draw 0.7712 is not below the 10% share: gets the make-good",
        "Grid v1 (major x REGULAR): 10% code, approval AUTO; valued at $20",
      ],
    },
  });
  await prisma.incidentEvent.create({
    data: {
      shop: TEST_SHOP,
      incidentId: old,
      kind: "DECIDED",
      at: OFFERS_NOW,
      data: { decision: "OFFER", summary: "x" },
    },
  });
  expect((await load(old)).why).toEqual({
    kind: "LINES",
    lines: [
      "Incident: major, 6 business days late to ship (late to ship)",
      "Holdout: draw 0.7712 is not below the 10% share: gets the make-good",
      "Grid v1 (major × Regular): 10% code, approval automatic; valued at $20",
    ],
  });

  const undecided = await createIncident(TEST_SHOP, { customerGid });
  expect((await load(undecided)).why).toBeNull();
});
