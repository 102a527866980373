/**
 * The incident pages' loaders and action through the real authenticate.admin (session tokens,
 * the sandbox answering the token exchange): scoping by shop, filters, sort, search and keyset
 * pages over a fixture, the merged timeline, and opening an incident by hand.
 */
import type { Prisma } from "@prisma/client";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action as detailAction, loader as detailLoader } from "../../app/routes/app.incidents.$id/route";
import { loader as indexLoader } from "../../app/routes/app.incidents._index/route";
import { action as newAction, loader as newLoader } from "../../app/routes/app.incidents.new";
import { startOfLocalDay } from "../../app/recovery";
import { gid } from "../../sandbox";
import type { Customer, ProductVariant } from "../../sandbox/store";
import { adminRequest, anonymousRequest, call } from "../helpers/admin-request";
import { acceptDeliveries, resetWithShops, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";

const OTHER = "amends-other-store.myshopify.com";
const NOW = new Date("2026-11-02T15:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

const sandbox = sandboxForTests({ deliver: acceptDeliveries });

let ada: Customer;
let mug: ProductVariant;

beforeEach(async () => {
  await resetWithShops(sandbox, NOW, [TEST_SHOP, OTHER]);
  ada = sandbox.activity.createCustomer(TEST_SHOP, {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
  });
  mug = sandbox.activity.createProduct(TEST_SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] })
    .variants[0]!;
});

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
const index = async (query = "", shop = TEST_SHOP) => {
  const result = await indexLoader(args(adminRequest(`/app/incidents${query ? `?${query}` : ""}`, { shop })));
  if (result instanceof Response) throw new Error(`index answered ${result.status}`);
  return result;
};

type Fixture = {
  name: string;
  type: Prisma.IncidentCreateInput["type"];
  severity: Prisma.IncidentCreateInput["severity"];
  state?: "OPEN" | "CLOSED";
  customer?: string | null;
  day: number;
  offer?: Prisma.OfferCreateWithoutIncidentInput["status"];
  shop?: string;
};

async function createIncident(f: Fixture): Promise<string> {
  const shop = f.shop ?? TEST_SHOP;
  const state = f.state ?? "OPEN";
  const detectedAt = new Date(NOW.getTime() - (10 - f.day) * DAY);
  const incident = await prisma.incident.create({
    data: {
      shop,
      orderGid: `gid://shopify/Order/9${f.name.replace("#", "")}`,
      orderName: f.name,
      customerGid: f.customer === null ? null : `gid://shopify/Customer/${f.customer ?? "501"}`,
      type: f.type,
      severity: f.severity,
      state,
      openSlot: state === "OPEN" ? "open" : null,
      measure: { kind: "DAYS_LATE", days: 2 },
      evidence: {},
      occurredAt: new Date(detectedAt.getTime() - DAY),
      detectedAt,
      holdout: f.offer === "HOLDOUT",
      decision: f.offer ? (f.offer === "HOLDOUT" ? "HOLDOUT" : "OFFER") : null,
    },
  });
  if (f.offer) {
    await prisma.offer.create({
      data: {
        shop,
        incidentId: incident.id,
        kind: f.offer === "HOLDOUT" ? "NONE" : "DISCOUNT_PERCENT",
        cell: { kind: "DISCOUNT_PERCENT", value: 20, expiryDays: 60, approval: "AUTO", messageTemplateKey: "default" },
        gridVersion: 1,
        faceValueMinor: 800,
        currency: "USD",
        status: f.offer,
        approval: "AUTO",
        explanation: [],
        summary: "20% code",
        issueKey: `key-${incident.id}`,
        code: f.offer === "ISSUED" ? "SORRY-1002" : null,
      },
    });
  }
  return incident.id;
}

const FIXTURE: Fixture[] = [
  { name: "#1001", type: "LATE_FULFILLMENT", severity: "minor", customer: "501", day: 1 },
  { name: "#1002", type: "DELIVERY_DELAY", severity: "moderate", customer: "502", day: 2, offer: "ISSUED" },
  {
    name: "#1003",
    type: "DELIVERY_FAILURE",
    severity: "major",
    state: "CLOSED",
    customer: "501",
    day: 3,
    offer: "REDEEMED",
  },
  { name: "#1004", type: "REFUND", severity: "minor", customer: null, day: 4, offer: "HOLDOUT" },
  {
    name: "#1005",
    type: "MERCHANT_CANCELLATION",
    severity: "major",
    customer: "503",
    day: 5,
    offer: "PENDING_APPROVAL",
  },
  { name: "#1006", type: "MANUAL", severity: "critical", customer: "502", day: 6, offer: "FAILED" },
  // Another shop with the same order names and customer ids: never in this shop's answers.
  { name: "#1001", type: "LATE_FULFILLMENT", severity: "critical", customer: "501", day: 7, shop: OTHER },
  { name: "#1003", type: "DELIVERY_FAILURE", severity: "major", customer: "502", day: 8, shop: OTHER, offer: "ISSUED" },
];

test.each<[string, string[]]>([
  ["", ["#1006", "#1005", "#1004", "#1003", "#1002", "#1001"]],
  ["type=REFUND", ["#1004"]],
  ["type=DELIVERY_DELAY&type=DELIVERY_FAILURE", ["#1003", "#1002"]],
  ["severity=major", ["#1005", "#1003"]],
  ["state=CLOSED", ["#1003"]],
  ["state=OPEN&severity=minor", ["#1004", "#1001"]],
  ["offer=with", ["#1006", "#1005", "#1003", "#1002"]],
  ["offer=without", ["#1004", "#1001"]],
  ["offer=holdout", ["#1004"]],
  ["offerStatus=ISSUED&offerStatus=REDEEMED", ["#1003", "#1002"]],
  ["offerStatus=PENDING_APPROVAL", ["#1005"]],
  ["q=%231003", ["#1003"]],
  ["q=1003", ["#1003"]],
  ["q=501", ["#1003", "#1001"]],
  ["q=gid%3A%2F%2Fshopify%2FCustomer%2F502", ["#1006", "#1002"]],
  ["q=%239999", []],
  ["type=MANUAL&severity=minor", []],
  ["sort=detected-asc", ["#1001", "#1002", "#1003", "#1004", "#1005", "#1006"]],
  ["sort=severity-desc", ["#1006", "#1005", "#1003", "#1002", "#1004", "#1001"]],
  ["sort=severity-asc", ["#1004", "#1001", "#1002", "#1005", "#1003", "#1006"]],
  ["sort=order-asc", ["#1001", "#1002", "#1003", "#1004", "#1005", "#1006"]],
  ["sort=order-desc&type=REFUND&type=MANUAL", ["#1006", "#1004"]],
  ["type=BOGUS&sort=nonsense", ["#1006", "#1005", "#1004", "#1003", "#1002", "#1001"]],
])("index ?%s lists %j, only this shop's", async (query, expected) => {
  for (const f of FIXTURE) await createIncident(f);
  const result = await index(query);
  expect(result.rows.map((r) => r.orderName)).toEqual(expected);
  expect(result.anyIncidents).toBe(true);
});

test("rows carry badges' data: severity, state, the latest offer's status or the control group", async () => {
  for (const f of FIXTURE) await createIncident(f);
  const rows = (await index("sort=order-asc")).rows;
  expect(rows.map((r) => [r.orderName, r.severity, r.state, r.offer?.status ?? null, r.holdout, r.customerId])).toEqual(
    [
      ["#1001", "minor", "OPEN", null, false, "501"],
      ["#1002", "moderate", "OPEN", "ISSUED", false, "502"],
      ["#1003", "major", "CLOSED", "REDEEMED", false, "501"],
      ["#1004", "minor", "OPEN", "HOLDOUT", true, null],
      ["#1005", "major", "OPEN", "PENDING_APPROVAL", false, "503"],
      ["#1006", "critical", "OPEN", "FAILED", false, "502"],
    ],
  );
});

test("120 incidents come in keyset pages of 50, forwards and back, with the filter kept", async () => {
  const data = Array.from({ length: 120 }, (_, i) => ({
    shop: TEST_SHOP,
    orderGid: `gid://shopify/Order/${5000 + i}`,
    orderName: `#${5000 + i}`,
    type: "LATE_FULFILLMENT" as const,
    severity: "minor" as const,
    measure: {},
    evidence: {},
    occurredAt: new Date(NOW.getTime() - (200 - i) * 60_000),
    // Two incidents per minute: the id breaks the ties, so no row is skipped or repeated.
    detectedAt: new Date(NOW.getTime() - (200 - Math.floor(i / 2)) * 60_000),
  }));
  await prisma.incident.createMany({ data });
  await createIncident({ name: "#1", type: "REFUND", severity: "minor", day: 9 });

  const seen: string[] = [];
  let page = await index("type=LATE_FULFILLMENT");
  const sizes = [page.rows.length];
  expect(page.page).toMatchObject({ hasPrevious: false, hasNext: true });
  seen.push(...page.rows.map((r) => r.orderName));
  while (page.page.hasNext) {
    page = await index(`type=LATE_FULFILLMENT&after=${page.page.nextCursor}`);
    sizes.push(page.rows.length);
    seen.push(...page.rows.map((r) => r.orderName));
  }
  expect(sizes).toEqual([50, 50, 20]);
  expect(new Set(seen).size).toBe(120);
  // The newest minute holds two incidents; their ids order them.
  expect(["#5118", "#5119"]).toContain(seen[0]);
  expect(page.page).toMatchObject({ hasPrevious: true, hasNext: false });

  const back = await index(`type=LATE_FULFILLMENT&before=${page.page.previousCursor}`);
  expect(back.rows.map((r) => r.orderName)).toEqual(seen.slice(50, 100));
  expect(back.page).toMatchObject({ hasPrevious: true, hasNext: true });
  const first = await index(`type=LATE_FULFILLMENT&before=${back.page.previousCursor}`);
  expect(first.rows.map((r) => r.orderName)).toEqual(seen.slice(0, 50));
  expect(first.page).toMatchObject({ hasPrevious: false, hasNext: true });
});

test("a shop without incidents gets the empty state; another shop's session sees none of this shop's", async () => {
  expect(await index()).toMatchObject({ rows: [], anyIncidents: false });
  await createIncident(FIXTURE[0]!);
  expect((await index()).rows).toHaveLength(1);
  expect(await index("", OTHER)).toMatchObject({ rows: [], anyIncidents: false });
});

test("no session: the pages are not served", async () => {
  for (const run of [
    async (): Promise<unknown> => indexLoader(args(anonymousRequest("/app/incidents"))),
    async (): Promise<unknown> =>
      detailLoader(
        args(anonymousRequest("/app/incidents/0b5d3c1e-8f2a-4c1b-9d3e-2a1b3c4d5e6f"), {
          id: "0b5d3c1e-8f2a-4c1b-9d3e-2a1b3c4d5e6f",
        }),
      ),
    async (): Promise<unknown> => newLoader(args(anonymousRequest("/app/incidents/new"))),
  ]) {
    const result = await call(run);
    expect(result).toBeInstanceOf(Response);
    expect([302, 401, 410]).toContain((result as Response).status);
  }
});

test("the detail: summary, offers and one timeline oldest first, in plain words, with who approved", async () => {
  const id = await createIncident({
    name: "#1002",
    type: "DELIVERY_DELAY",
    severity: "moderate",
    customer: "502",
    day: 2,
    offer: "ISSUED",
  });
  const offer = await prisma.offer.findFirstOrThrow({ where: { incidentId: id } });
  const t = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
  await prisma.session.create({
    data: {
      id: "online-1001",
      shop: TEST_SHOP,
      state: "",
      isOnline: true,
      accessToken: "x",
      userId: 1001n,
      firstName: "Olivia",
      lastName: "Owner",
    },
  });
  await prisma.incidentEvent.createMany({
    data: [
      { shop: TEST_SHOP, incidentId: id, kind: "OFFER_ISSUED", at: t(6), data: { offerId: offer.id } },
      {
        shop: TEST_SHOP,
        incidentId: id,
        kind: "SIGNAL",
        at: t(0),
        data: {
          type: "DELIVERY_DELAY",
          severity: "minor",
          base: "minor",
          boosts: [],
          measure: { kind: "DAYS_LATE", days: 1 },
        },
      },
      {
        shop: TEST_SHOP,
        incidentId: id,
        kind: "SEVERITY_RAISED",
        at: t(2),
        data: { from: "minor", to: "moderate", measure: { kind: "DAYS_LATE", days: 3 } },
      },
      {
        shop: TEST_SHOP,
        incidentId: id,
        kind: "DECIDED",
        at: t(3),
        data: { decision: "OFFER", offerId: offer.id, summary: "moderate: delivery 3 days late; 20% code" },
      },
      {
        shop: TEST_SHOP,
        incidentId: id,
        kind: "OFFER_APPROVED",
        actor: "1001",
        at: t(5),
        data: { offerId: offer.id, faceValueMinor: 800 },
      },
      {
        shop: TEST_SHOP,
        incidentId: id,
        kind: "WON_BACK",
        at: t(60),
        data: { offerId: offer.id, orderGid: "gid://shopify/Order/777", totalMinor: 5500 },
      },
    ],
  });
  await prisma.offerTransition.createMany({
    data: [
      {
        shop: TEST_SHOP,
        offerId: offer.id,
        fromStatus: null,
        toStatus: "PENDING_APPROVAL",
        at: t(3),
        note: "over the auto-approve ceiling",
      },
      {
        shop: TEST_SHOP,
        offerId: offer.id,
        fromStatus: "PENDING_APPROVAL",
        toStatus: "APPROVED",
        actor: "1001",
        at: t(5),
      },
      { shop: TEST_SHOP, offerId: offer.id, fromStatus: "APPROVED", toStatus: "ISSUING", at: t(6) },
      { shop: TEST_SHOP, offerId: offer.id, fromStatus: "ISSUING", toStatus: "ISSUED", at: t(6) },
    ],
  });

  const detail = await detailLoader(args(adminRequest(`/app/incidents/${id}`), { id }));
  if (detail instanceof Response) throw new Error(`detail answered ${detail.status}`);
  expect(detail.incident).toMatchObject({
    orderName: "#1002",
    orderId: "91002",
    customerId: "502",
    type: "DELIVERY_DELAY",
    what: "2 days past the promised delivery",
  });
  expect(detail.offers).toEqual([
    expect.objectContaining({
      status: "ISSUED",
      // Only the last four characters for staff (decision 0019).
      code: "•••• 1002",
      label: "20% code, 60-day expiry",
      faceValueMinor: 800,
    }),
  ]);
  expect(detail.timeline.map((e) => e.title)).toEqual([
    "Detected: delivery delayed",
    "Severity raised from minor to moderate",
    "Decided on a make-good",
    "Proposed 20% code, 60-day expiry, waiting for approval",
    "Approved by Olivia Owner",
    "Issued in Shopify: 20% code, 60-day expiry",
    "Issuing 20% code, 60-day expiry in Shopify",
    "Customer bought again for $55 (order 777)",
  ]);
  const times = detail.timeline.map((e) => e.at);
  expect([...times].sort()).toEqual(times);
});

test("the detail is 404 for an unknown id, a malformed id and another shop's incident", async () => {
  const theirs = await createIncident({ name: "#1001", type: "REFUND", severity: "minor", day: 1, shop: OTHER });
  const mine = await createIncident({ name: "#1001", type: "REFUND", severity: "minor", day: 1 });
  for (const id of ["0b5d3c1e-8f2a-4c1b-9d3e-2a1b3c4d5e6f", "not-an-id", theirs]) {
    const result = await call(() => detailLoader(args(adminRequest(`/app/incidents/${id}`), { id })));
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(404);
  }
  const otherSession = await call(() =>
    detailLoader(args(adminRequest(`/app/incidents/${mine}`, { shop: OTHER }), { id: mine })),
  );
  expect((otherSession as Response).status).toBe(404);
});

// --- Opening an incident by hand ---

const submit = (form: Record<string, string>, shop = TEST_SHOP) =>
  call(() => newAction(args(adminRequest("/app/incidents/new", { shop, form }))));
const GOOD = { category: "DAMAGED_ITEM", severity: "moderate", note: "Phoned: the mug arrived cracked" };

/** An order the customer placed; staff report on it later, once Shopify's search index shows it. */
async function placeOrder(extra: { test?: boolean } = {}) {
  const order = await sandbox.activity.placeOrder(TEST_SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
    ...(extra.test ? { test: true } : {}),
  });
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  return order;
}

test.each<[string, Record<string, string>, Record<string, string>]>([
  [
    "nothing filled in",
    {},
    {
      order: expect.stringMatching(/order's name/) as unknown as string,
      category: "Choose what went wrong",
      severity: "Choose how bad it was",
      note: expect.any(String) as unknown as string,
    },
  ],
  [
    "an order that is not a name",
    { ...GOOD, order: "the blue one" },
    { order: "Enter an order name like #1001, or the order's id" },
  ],
  [
    "an unknown category and severity",
    { order: "#1001", category: "LATE", severity: "awful", note: "x" },
    { category: "Choose what went wrong", severity: "Choose how bad it was" },
  ],
])("a bad form (%s) answers 400 with a message per field and writes nothing", async (_name, form, fieldErrors) => {
  expect(await answer(await submit(form))).toEqual({ status: 400, body: { fieldErrors } });
  expect(await prisma.incident.count()).toBe(0);
});

/** An action's answer: a Response (redirect) or Remix's data() with its status. */
async function answer(result: unknown): Promise<{ status: number; body?: unknown; location?: string | null }> {
  if (result instanceof Response) return { status: result.status, location: result.headers.get("location") };
  const withInit = result as { data: unknown; init: { status?: number } | null };
  return { status: withInit.init?.status ?? 200, body: withInit.data };
}

test("an order of the store found through Shopify's search opens a staff-reported incident and goes to it", async () => {
  const order = await placeOrder();
  const result = await answer(await submit({ ...GOOD, order: order.name }));
  expect(result.status).toBe(302);
  const incident = await prisma.incident.findFirstOrThrow({ where: { shop: TEST_SHOP } });
  expect(result.location).toMatch(new RegExp(`/app/incidents/${incident.id}\\?opened=1`));
  expect(incident).toMatchObject({
    type: "MANUAL",
    severity: "moderate",
    orderName: order.name,
    orderGid: gid("Order", order.id),
    customerGid: gid("Customer", ada.id),
  });
  expect(incident.evidence).toMatchObject({
    category: "DAMAGED_ITEM",
    note: "Phoned: the mug arrived cracked",
    reportedBy: "1002",
  });
  expect(sandbox.admin.calls.map((c) => c.operationName)).toContain("AmendsOrdersByName");

  // The detail tells who reported it.
  const detail = await detailLoader(args(adminRequest(`/app/incidents/${incident.id}`), { id: incident.id }));
  if (detail instanceof Response) throw new Error("detail failed");
  expect(detail.timeline[0]).toMatchObject({
    title: "Reported by Sam Support",
    detail: "Damaged item; severity moderate",
  });
});

test("an order Amends recorded is found by name without asking Shopify's search; the number alone works too", async () => {
  const order = await placeOrder();
  await prisma.orderRecord.create({
    data: {
      shop: TEST_SHOP,
      orderGid: gid("Order", order.id),
      name: order.name,
      createdAt: NOW,
      sourceUpdatedAt: NOW,
      currency: "USD",
      totalPrice: "40.00",
      lineItemCount: 1,
    },
  });
  const result = await answer(await submit({ ...GOOD, order: order.name.replace("#", "") }));
  expect(result.status).toBe(302);
  expect(sandbox.admin.calls.map((c) => c.operationName)).not.toContain("AmendsOrdersByName");
  expect(await prisma.incident.count({ where: { shop: TEST_SHOP, type: "MANUAL" } })).toBe(1);
});

test("staff can say which day it happened (shop time); a day in the future or too long ago is refused beside the field", async () => {
  const order = await placeOrder();
  // NOW is 2026-11-02T15:00Z.
  for (const [happenedOn, message] of [
    ["2026-11-05", "That date is in the future"],
    ["2026-06-01", "Choose a day in the last 90 days"],
    ["last week", "Enter a date like 2026-11-20, or leave it empty for today"],
  ] as const) {
    expect(await answer(await submit({ ...GOOD, order: order.name, happenedOn }))).toEqual({
      status: 400,
      body: { fieldErrors: { happenedOn: message } },
    });
  }
  expect(await prisma.incident.count()).toBe(0);
  const result = await answer(await submit({ ...GOOD, order: order.name, happenedOn: "2026-10-30" }));
  expect(result.status).toBe(302);
  const incident = await prisma.incident.findFirstOrThrow({ where: { shop: TEST_SHOP } });
  const timeZone = (await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).timezone;
  expect(incident.occurredAt).toEqual(startOfLocalDay("2026-10-30", timeZone));
});

test("an unknown order is a field error beside the order, and nothing is written", async () => {
  for (const reference of ["#4242", "4242", "gid://shopify/Order/4242"]) {
    const result = await answer(await submit({ ...GOOD, order: reference }));
    expect(result).toEqual({
      status: 400,
      body: { fieldErrors: { order: expect.stringMatching(/^No order .+ in your store/) } },
    });
  }
  expect(await prisma.incident.count()).toBe(0);
});

test("a second report for the same order points to the open incident instead of opening another", async () => {
  const order = await placeOrder();
  const first = await answer(await submit({ ...GOOD, order: order.name }));
  expect(first.status).toBe(302);
  const open = await prisma.incident.findFirstOrThrow({ where: { shop: TEST_SHOP } });
  const again = await answer(await submit({ ...GOOD, severity: "critical", order: order.name }));
  expect(again).toEqual({
    status: 409,
    body: {
      fieldErrors: { order: expect.stringMatching(/already has an open incident/) },
      existing: { incidentId: open.id, orderName: order.name },
    },
  });
  expect(await prisma.incident.findMany({ where: { shop: TEST_SHOP } })).toEqual([
    expect.objectContaining({ id: open.id, severity: "moderate" }),
  ]);
});

test("a test order is refused beside the order field; another shop cannot open one for this shop's order", async () => {
  const testOrder = await placeOrder({ test: true });
  expect(await answer(await submit({ ...GOOD, order: testOrder.name }))).toEqual({
    status: 400,
    body: { fieldErrors: { order: expect.stringMatching(/test order/) } },
  });
  const order = await placeOrder();
  expect((await answer(await submit({ ...GOOD, order: order.name }, OTHER))).status).toBe(400);
  expect(await prisma.incident.count()).toBe(0);
});

test("a failed make-good is retried from its incident: back to APPROVED with an issue job, once; never another shop's", async () => {
  const incidentId = await createIncident({
    name: "#2001",
    type: "REFUND",
    severity: "major",
    customer: "501",
    day: 9,
    offer: "FAILED",
  });
  const offer = await prisma.offer.findFirstOrThrow({ where: { incidentId } });
  const retry = (shop: string, offerId = offer.id) =>
    call(() =>
      detailAction(
        args(adminRequest(`/app/incidents/${incidentId}`, { shop, form: { intent: "retryIssue", offerId } }), {
          id: incidentId,
        }),
      ),
    );

  const other = await retry(OTHER);
  expect(other).toBeInstanceOf(Response);
  expect((other as Response).status).toBe(404);
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("FAILED");

  const bad = await retry(TEST_SHOP, "not-a-uuid");
  expect((bad as Response).status).toBe(400);

  expect(await retry(TEST_SHOP)).toMatchObject({ ok: true });
  expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("APPROVED");
  const jobs = await prisma.$queryRaw<
    Array<{ key: string }>
  >`SELECT key FROM graphile_worker._private_jobs WHERE key IS NOT NULL`;
  expect(jobs.map((j) => j.key)).toContain(`issue-offer:${offer.id}`);
  const again = await retry(TEST_SHOP);
  expect((again as Response).status).toBe(409);
});
