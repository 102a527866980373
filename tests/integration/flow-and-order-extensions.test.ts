/**
 * Issue 6's backend: the Flow action "Open recovery incident" through its real route with signed
 * requests, the "Recovery incident detected" trigger from its job (payload checked by the sandbox's
 * flowTriggerReceive and against the extension's declared fields), and the order page extensions'
 * endpoint through the real authenticate.admin with session tokens.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, expect, test, vi } from "vitest";
import { prisma } from "../../app/db.server";
import { action as flowAction } from "../../app/routes/flow.actions.open-incident";
import { action as recoveryAction, loader as recoveryLoader } from "../../app/routes/api.orders.$orderId.recovery";
import { notifyIncidentDetected } from "../../app/services/flow-incident.server";
import { openManualIncident } from "../../app/services/detection.server";
import { notifyIssued } from "../../app/services/issuing/lifecycle.server";
import { decideIncident } from "../../app/services/decision.server";
import { issueOffer } from "../../app/services/issuing.server";
import { parseToml, type TomlTable } from "../../app/shopify/flow/toml";
import { gid } from "../../sandbox";
import type { Customer, ProductVariant } from "../../sandbox/store";
import { adminRequest, call } from "../helpers/admin-request";
import { jobs } from "../helpers/db";
import { enableFlowTriggers, sendLifecycle } from "../helpers/flow";
import { acceptDeliveries, resetSandbox, sandboxForTests, storeOrderRecord } from "../helpers/sandbox";
import { sign, TEST_SHOP } from "../helpers/webhooks";
import { createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = TEST_SHOP;
const OTHER_SHOP = "amends-other-extensions.myshopify.com";
const SETTINGS = { decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null } };
// The sandbox knows the trigger extensions under extensions/ (its default, as a deploy publishes them) and
// refuses any other handle and any payload that does not fit the trigger's declared fields, like Flow does.
const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let ada: Customer;
let mug: ProductVariant;

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  sandbox.store.addShop({ domain: OTHER_SHOP, currency: "USD", plan: "Basic" });
  ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
  await createShopRow(SHOP, SETTINGS);
  await createShopRow(OTHER_SHOP, SETTINGS);
});

async function placeOrder(options: { test?: boolean; guest?: boolean } = {}) {
  const order = await sandbox.activity.placeOrder(SHOP, {
    ...(options.guest ? { guest: true as const } : { customerId: ada.id }),
    lines: [{ variantId: mug.id, quantity: 1 }],
    ...(options.test ? { test: true } : {}),
  });
  // Deliveries are not processed in this file: the decision values percent codes on the stored order.
  const orderGid = await storeOrderRecord(SHOP, order, { totalPrice: "40.00", test: options.test ?? false });
  return { id: String(order.id), gid: orderGid, name: order.name };
}

/** The fields an extension TOML declares, as payload keys with the JS type each value must have. */
function declaredPayload(handle: string): Record<string, "number" | "string" | "boolean"> {
  const config = parseToml(
    readFileSync(join(import.meta.dirname, "../../extensions", handle, "shopify.extension.toml"), "utf8"),
  );
  const fields = ((config.settings as TomlTable).fields as TomlTable[]) ?? [];
  return Object.fromEntries(
    fields.map((f) => {
      const type = f.type as string;
      if (type.endsWith("_reference")) return [type.replace(/_reference$/, "_id"), "number"];
      return [f.key as string, type === "number_decimal" ? "number" : type === "boolean" ? "boolean" : "string"];
    }),
  );
}

function expectMatchesDeclaration(handle: string, payload: Record<string, unknown>) {
  const declared = declaredPayload(handle);
  expect(Object.keys(payload).sort()).toEqual(Object.keys(declared).sort());
  for (const [key, type] of Object.entries(declared)) expect(typeof payload[key], key).toBe(type);
}

const flowCalls = (handle: string) =>
  sandbox.admin.calls.filter((c) => c.rootFields.includes("flowTriggerReceive") && c.variables?.handle === handle);

// --- Flow action -----------------------------------------------------------------------------

function flowActionBody(properties: Record<string, unknown>, runId = randomUUID(), shop = SHOP): string {
  return JSON.stringify({
    shop_id: 1,
    shopify_domain: shop,
    action_run_id: runId,
    action_definition_id: "Open recovery incident",
    handle: "open-recovery-incident",
    properties,
  });
}

async function postFlowAction(body: string, hmac: string | null = sign(body)): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json" });
  if (hmac !== null) headers.set("x-shopify-hmac-sha256", hmac);
  const result = await call(() =>
    flowAction({
      request: new Request("https://amends.test/flow/actions/open-incident", { method: "POST", headers, body }),
      params: {},
      context: {},
    }),
  );
  return result;
}

test("a signed Flow action opens a MANUAL incident once and enqueues its decision", async () => {
  const order = await placeOrder();
  const response = await postFlowAction(
    flowActionBody({
      order_id: order.id,
      incident_type: "Damaged item",
      severity: "Major",
      note: "Arrived broken",
      step_reference: "abc",
    }),
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { incidentId: string; outcome: string };
  expect(body.outcome).toBe("OPENED");
  const incident = await prisma.incident.findUniqueOrThrow({ where: { id: body.incidentId } });
  expect(incident).toMatchObject({
    shop: SHOP,
    type: "MANUAL",
    severity: "major",
    orderGid: order.gid,
    customerGid: gid("Customer", ada.id),
  });
  expect(incident.evidence).toMatchObject({ category: "DAMAGED_ITEM", note: "Arrived broken", reportedBy: "flow" });
  expect((await jobs("decide-incident")).map((j) => j.payload.incidentId)).toEqual([body.incidentId]);
  expect(await prisma.incidentEvent.count({ where: { shop: SHOP, kind: "FLOW_ACTION" } })).toBe(1);
});

test("a retried action run (sequential and concurrent) answers the same incident and records one run", async () => {
  const order = await placeOrder();
  const body = flowActionBody({ order_id: Number(order.id), incident_type: "WRONG_ITEM", severity: "moderate" });
  const [a, b] = await Promise.all([postFlowAction(body), postFlowAction(body)]);
  const c = await postFlowAction(body);
  const answers = await Promise.all(
    [a, b, c].map(async (r) => ({
      status: r.status,
      ...((await r.json()) as { incidentId: string; replayed: boolean }),
    })),
  );
  expect(answers.map((x) => x.status)).toEqual([200, 200, 200]);
  expect(new Set(answers.map((x) => x.incidentId)).size).toBe(1);
  expect(answers.filter((x) => !x.replayed)).toHaveLength(1);
  expect(await prisma.incident.count({ where: { shop: SHOP } })).toBe(1);
  expect(await prisma.incidentEvent.count({ where: { shop: SHOP, kind: "FLOW_ACTION" } })).toBe(1);
  expect(await jobs("decide-incident")).toHaveLength(1);
});

test("a bad or missing signature is refused with 400 and writes nothing", async () => {
  const order = await placeOrder();
  const body = flowActionBody({ order_id: order.id, incident_type: "QUALITY", severity: "minor" });
  // The library logs the refusal with console.error; that is expected here.
  const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
  try {
    expect((await postFlowAction(body, sign(body, "another-apps-secret"))).status).toBe(400);
    expect((await postFlowAction(body, null)).status).toBe(400);
  } finally {
    spy.mockRestore();
  }
  expect(await prisma.incident.count()).toBe(0);
});

test.each([
  ["not JSON", '{"shopify_domain": "'],
  ["JSON null", "null"],
  ["an array", "[]"],
  ["no shop", JSON.stringify({ action_run_id: "x", properties: {} })],
  [
    "a shop that is not a shop domain",
    JSON.stringify({ shopify_domain: "../../admin", action_run_id: "x", properties: {} }),
  ],
])(
  "a correctly signed Flow request whose body is %s is refused with 400 (Flow would retry a 500 for a day), writing nothing",
  async (_case, body) => {
    expect((await postFlowAction(body)).status).toBe(400);
    expect((await sendLifecycle({ shop: SHOP, trigger: "recovery-offer-issued", enabled: true, body })).status).toBe(
      400,
    );
    expect(await prisma.incident.count()).toBe(0);
    expect(await prisma.flowTriggerUsage.count()).toBe(0);
  },
);

test("missing or invalid properties answer 422 naming the property", async () => {
  const order = await placeOrder();
  const missing = await postFlowAction(flowActionBody({ order_id: order.id, severity: "minor" }));
  expect(missing.status).toBe(422);
  expect(((await missing.json()) as { error: string }).error).toMatch(/incident_type/);
  const bad = await postFlowAction(
    flowActionBody({ order_id: "gid://shopify/Order/1", incident_type: "OTHER", severity: "awful" }),
  );
  expect(bad.status).toBe(422);
  const problems = ((await bad.json()) as { problems: Array<{ property: string }> }).problems.map((p) => p.property);
  expect(problems.sort()).toEqual(["order_id", "severity"]);
  expect(await prisma.incident.count()).toBe(0);
});

test("an unknown order answers 404 and a test order 422, writing nothing", async () => {
  expect(
    (await postFlowAction(flowActionBody({ order_id: "999999", incident_type: "OTHER", severity: "minor" }))).status,
  ).toBe(404);
  const testOrder = await placeOrder({ test: true });
  const excluded = await postFlowAction(
    flowActionBody({ order_id: testOrder.id, incident_type: "OTHER", severity: "minor" }),
  );
  expect(excluded.status).toBe(422);
  expect(((await excluded.json()) as { error: string }).error).toContain("TEST_ORDER");
  expect(await prisma.incident.count()).toBe(0);
  expect(await prisma.incidentEvent.count()).toBe(0);
});

// --- "Recovery incident detected" --------------------------------------------------------------

test("an opened incident is announced to Flow once, only where a workflow uses the trigger, with the declared fields", async () => {
  const quiet = await placeOrder();
  await openManualIncident(SHOP, quiet.gid, { category: "SERVICE", severity: "minor", note: "", reportedBy: "1002" });
  expect(await jobs("notify-incident")).toHaveLength(0);

  await enableFlowTriggers(SHOP, ["recovery-incident-detected"]);
  const order = await placeOrder();
  const opened = await openManualIncident(SHOP, order.gid, {
    category: "MISSING_ITEM",
    severity: "major",
    note: "Lid missing",
    reportedBy: "1002",
  });
  if (opened.kind === "EXCLUDED") throw new Error("excluded");
  expect((await jobs("notify-incident")).map((j) => j.payload)).toEqual([
    { v: 1, shop: SHOP, incidentId: opened.incidentId },
  ]);

  expect(await notifyIncidentDetected(SHOP, opened.incidentId)).toEqual({ flow: "SENT", email: "OFF", named: true });
  expect(await notifyIncidentDetected(SHOP, opened.incidentId)).toEqual({
    flow: "ALREADY_SENT",
    email: "OFF",
    named: true,
  });
  const calls = flowCalls("recovery-incident-detected");
  expect(calls).toHaveLength(1);
  const payload = calls[0]!.variables!.payload as Record<string, unknown>;
  expectMatchesDeclaration("recovery-incident-detected", payload);
  expect(payload).toMatchObject({
    order_id: Number(order.id),
    customer_id: Number(ada.id),
    "Incident ID": opened.incidentId,
    "Incident type": "MANUAL",
    Severity: "major",
    "Order name": order.name,
  });
  expect(payload.Explanation).toBe("major: reported by staff: missing item");
  expect(sandbox.store.shops.get(SHOP)!.flowTriggers.map((t) => t.handle)).toEqual(["recovery-incident-detected"]);
  expect(
    await prisma.incidentEvent.count({
      where: { shop: SHOP, incidentId: opened.incidentId, kind: "INCIDENT_NOTIFIED" },
    }),
  ).toBe(1);

  await sendLifecycle({ shop: SHOP, trigger: "recovery-incident-detected", enabled: false });
  expect(await notifyIncidentDetected(SHOP, opened.incidentId)).toMatchObject({ flow: "NOT_IN_USE", email: "OFF" });
});

test("a guest order's incident is not announced (the trigger needs a customer)", async () => {
  await enableFlowTriggers(SHOP, ["recovery-incident-detected"]);
  const order = await placeOrder({ guest: true });
  const opened = await openManualIncident(SHOP, order.gid, {
    category: "OTHER",
    severity: "minor",
    note: "",
    reportedBy: "1002",
  });
  if (opened.kind === "EXCLUDED") throw new Error("excluded");
  expect(await notifyIncidentDetected(SHOP, opened.incidentId)).toMatchObject({ skipped: "GUEST" });
  expect(flowCalls("recovery-incident-detected")).toHaveLength(0);
});

test("the issued offer's trigger payload matches the extension's declared fields", async () => {
  await enableFlowTriggers(SHOP);
  const order = await placeOrder();
  const opened = await openManualIncident(SHOP, order.gid, {
    category: "DAMAGED_ITEM",
    severity: "minor",
    note: "",
    reportedBy: "1002",
  });
  if (opened.kind === "EXCLUDED") throw new Error("excluded");
  const decided = await decideIncident(SHOP, opened.incidentId);
  if (decided.outcome !== "DECIDED" || !decided.offerId) throw new Error("no offer");
  await prisma.offer.update({ where: { id: decided.offerId }, data: { status: "APPROVED" } });
  await issueOffer(SHOP, decided.offerId);
  expect((await notifyIssued(SHOP, decided.offerId)).flow).toBe("SENT");
  const payload = flowCalls("recovery-offer-issued")[0]!.variables!.payload as Record<string, unknown>;
  expectMatchesDeclaration("recovery-offer-issued", payload);
  expect(payload).toMatchObject({
    order_id: Number(order.id),
    customer_id: Number(ada.id),
    "Incident type": "MANUAL",
    Severity: "minor",
    Currency: "USD",
  });
});

// --- order page endpoint -----------------------------------------------------------------------

async function recoveryGet(orderId: string, options: Parameters<typeof adminRequest>[1] = {}): Promise<Response> {
  const result = await call(() =>
    recoveryLoader({
      request: adminRequest(`/api/orders/${orderId}/recovery`, options),
      params: { orderId },
      context: {},
    }),
  );
  return result;
}

async function recoveryPost(orderId: string, json: unknown, userId = "1002", shop = SHOP): Promise<Response> {
  const base = adminRequest(`/api/orders/${orderId}/recovery`, { userId, shop });
  const headers = new Headers(base.headers);
  headers.set("content-type", "application/json");
  headers.set("origin", "https://admin.shopify.com");
  const request = new Request(base.url, { method: "POST", headers, body: JSON.stringify(json) });
  return call(() => recoveryAction({ request, params: { orderId }, context: {} }));
}

test("the order status needs a valid session token, and another shop's token never sees this shop's order", async () => {
  const order = await placeOrder();
  await openManualIncident(SHOP, order.gid, {
    category: "QUALITY",
    severity: "moderate",
    note: "",
    reportedBy: "1002",
  });

  const ok = await recoveryGet(order.id);
  expect(ok.status).toBe(200);
  const status = (await ok.json()) as { incidents: Array<{ type: string; severity: string }> };
  expect(status.incidents).toEqual([expect.objectContaining({ type: "MANUAL", severity: "moderate" })]);

  expect((await recoveryGet(order.id, { secret: "another-apps-secret" })).status).toBe(401);
  const other = await recoveryGet(order.id, { shop: OTHER_SHOP });
  expect(other.status).toBe(200);
  expect(((await other.json()) as { incidents: unknown[] }).incidents).toEqual([]);
  expect((await recoveryGet("not-a-number")).status).toBe(422);
});

test("the CORS preflight from the admin is answered, and answers carry CORS headers", async () => {
  const order = await placeOrder();
  const preflight = await call(() =>
    recoveryAction({
      request: new Request(`https://amends.test/api/orders/${order.id}/recovery`, {
        method: "OPTIONS",
        headers: { origin: "https://admin.shopify.com", "user-agent": "Mozilla/5.0 Chrome/130" },
      }),
      params: { orderId: order.id },
      context: {},
    }),
  );
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
  const answer = await recoveryPost(order.id, { intent: "suggest", category: "DAMAGED_ITEM", severity: "minor" });
  expect(answer.headers.get("access-control-allow-origin")).toBe("*");
});

test("the suggestion runs the grid for a hypothetical MANUAL incident and writes nothing", async () => {
  const order = await placeOrder();
  const response = await recoveryPost(order.id, { intent: "suggest", category: "DAMAGED_ITEM", severity: "major" });
  expect(response.status).toBe(200);
  const suggestion = (await response.json()) as {
    kind: string;
    explanation: string[];
    authority: { level: string };
    offer: { approval: string };
  };
  expect(suggestion.kind).toBe("OFFER");
  expect(suggestion.explanation.length).toBeGreaterThan(2);
  expect(suggestion.authority.level).toBe("STAFF");
  expect(await prisma.incident.count()).toBe(0);
  expect(await prisma.offer.count()).toBe(0);

  const bad = await recoveryPost(order.id, { intent: "suggest", category: "BROKEN", severity: "major" });
  expect(bad.status).toBe(422);
  expect(((await bad.json()) as { error: string }).error).toMatch(/category/);
  const testOrder = await placeOrder({ test: true });
  expect(
    await (await recoveryPost(testOrder.id, { intent: "suggest", category: "OTHER", severity: "minor" })).json(),
  ).toEqual({ kind: "EXCLUDED", reason: "TEST_ORDER" });
});

test("a customer held out for an earlier incident's window is told apart in the suggestion: no offer, and why", async () => {
  const order = await placeOrder();
  await prisma.incident.create({
    data: {
      shop: SHOP,
      orderGid: "gid://shopify/Order/earlier",
      orderName: "#earlier",
      customerGid: gid("Customer", ada.id),
      type: "LATE_FULFILLMENT",
      severity: "major",
      measure: {},
      evidence: {},
      occurredAt: new Date(sandbox.clock.now().getTime() - 11 * 86_400_000),
      detectedAt: new Date(sandbox.clock.now().getTime() - 10 * 86_400_000),
      decision: "HOLDOUT",
      holdout: true,
    },
  });
  const response = await recoveryPost(order.id, { intent: "suggest", category: "DAMAGED_ITEM", severity: "major" });
  expect(response.status).toBe(200);
  const suggestion = (await response.json()) as { kind: string; reason: string; explanation: string[] };
  expect(suggestion).toMatchObject({ kind: "NO_OFFER", reason: "CUSTOMER_HELD_OUT" });
  expect(suggestion.explanation.join("\n")).toMatch(/the customer is in the holdout since an incident detected/);
});

test("create opens the incident and applies the member's choice: above their authority it waits for approval", async () => {
  // Staff may approve up to $5.00 here; the default grid's critical x NEW cell is a 25% code needing STAFF approval.
  await prisma.shop.update({
    where: { shop: SHOP },
    data: { settings: { ...SETTINGS, authority: { limits: { STAFF: 500, MANAGER: 25_000, OWNER: null } } } },
  });
  const order = await placeOrder();
  const suggestion = (await (
    await recoveryPost(order.id, { intent: "suggest", category: "DAMAGED_ITEM", severity: "critical" })
  ).json()) as {
    offer: { kind: string; value: number; approval: string; faceValueMinor: number };
    authority: { level: string; limitMinor: number };
    canIssueNow: boolean;
  };
  expect(suggestion).toMatchObject({
    offer: { kind: "DISCOUNT_PERCENT", value: 25, approval: "STAFF", faceValueMinor: 1_000 },
    authority: { level: "STAFF", limitMinor: 500 },
    canIssueNow: false,
  });

  const response = await recoveryPost(order.id, {
    intent: "create",
    category: "DAMAGED_ITEM",
    severity: "critical",
    note: "Shattered",
    mode: "ISSUE",
    value: 30,
  });
  expect(response.status).toBe(200);
  const result = (await response.json()) as {
    kind: string;
    incidentId: string;
    outcome: string;
    message: string;
    offer: { status: string };
  };
  expect(result).toMatchObject({ kind: "OFFER", outcome: "PENDING_APPROVAL", offer: { status: "PENDING_APPROVAL" } });
  expect(result.message).toMatch(/above your approval limit/);
  expect(await prisma.incident.findUniqueOrThrow({ where: { id: result.incidentId } })).toMatchObject({
    type: "MANUAL",
    severity: "critical",
    decision: "OFFER",
  });
  expect(await jobs("issue-offer")).toHaveLength(0);

  // A second create for the same order does not open another incident; the owner then approves it at once.
  const again = (await (
    await recoveryPost(
      order.id,
      { intent: "create", category: "DAMAGED_ITEM", severity: "critical", note: "", mode: "ISSUE" },
      "1001",
    )
  ).json()) as { incidentId: string; outcome: string };
  expect(again).toMatchObject({ incidentId: result.incidentId, outcome: "ISSUING" });
  expect(await prisma.incident.count()).toBe(1);
  expect(await jobs("issue-offer")).toHaveLength(1);
});

test("the account owner can issue a make-good needing approval at once", async () => {
  const order = await placeOrder();
  const response = await recoveryPost(
    order.id,
    { intent: "create", category: "WRONG_ITEM", severity: "critical", note: "", mode: "ISSUE" },
    "1001",
  );
  const result = (await response.json()) as { kind: string; outcome: string; offer: { status: string } };
  expect(result.kind).toBe("OFFER");
  expect(result.outcome).toBe("ISSUING");
  expect(["APPROVED", "ISSUING", "ISSUED"]).toContain(result.offer.status);
  expect((await jobs("issue-offer")).length).toBe(1);
});
