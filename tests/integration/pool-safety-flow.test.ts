/**
 * The Flow action holds at most one connection at a time (decision 0021). With a main pool of ONE
 * connection, actions (several at once, and a run retried while its first attempt is in flight)
 * all complete, exactly once per action run. The old shape held a transaction across the Admin read
 * and opened the incident in a second transaction on another connection: with one connection it
 * waited for itself until the transaction timed out, and every run failed.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, expect, test, vi } from "vitest";

vi.hoisted(() => {
  // Read once, on first use of the environment (after this file's imports): the main pool has one connection.
  process.env.DATABASE_POOL_SIZE = "1";
});

import { pgPool, prisma, withSessionLock } from "../../app/db.server";
import { env } from "../../app/env.server";
import { action as flowAction } from "../../app/routes/flow.actions.open-incident";
import type { Customer, ProductVariant } from "../../sandbox/store";
import { call } from "../helpers/admin-request";
import { jobs } from "../helpers/db";
import { acceptDeliveries, resetSandbox, sandboxForTests, storeOrderRecord } from "../helpers/sandbox";
import { sign, TEST_SHOP } from "../helpers/webhooks";
import { createShopRow, OFFERS_NOW } from "./offers-fixtures";

const SHOP = TEST_SHOP;
/** Far longer than the work needs; only there so a deadlock fails the test instead of hanging it. */
const GENEROUS_MS = 20_000;

const sandbox = sandboxForTests({ deliver: acceptDeliveries });
let ada: Customer;
let mug: ProductVariant;

afterAll(() => {
  delete process.env.DATABASE_POOL_SIZE;
});

beforeEach(async () => {
  await resetSandbox(sandbox, OFFERS_NOW);
  sandbox.store.addShop({ domain: SHOP, currency: "USD", plan: "Basic" });
  ada = sandbox.activity.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
  mug = sandbox.activity.createProduct(SHOP, { title: "Mug", variants: [{ price: "40.00", sku: "MUG" }] }).variants[0]!;
  await createShopRow(SHOP, { decision: { holdoutShare: 0, cooldownDays: 0, yearlyCapPerCustomerMinor: null } });
});

async function placeOrder(): Promise<string> {
  const order = await sandbox.activity.placeOrder(SHOP, {
    customerId: ada.id,
    lines: [{ variantId: mug.id, quantity: 1 }],
  });
  await storeOrderRecord(SHOP, order, { totalPrice: "40.00" });
  return String(order.id);
}

function actionBody(orderId: string, runId = randomUUID()): string {
  return JSON.stringify({
    shop_id: 1,
    shopify_domain: SHOP,
    action_run_id: runId,
    action_definition_id: "Open recovery incident",
    handle: "open-recovery-incident",
    properties: { order_id: orderId, incident_type: "Damaged item", severity: "Major" },
  });
}

async function postAction(body: string): Promise<{ status: number; incidentId?: string; replayed?: boolean }> {
  const headers = new Headers({ "content-type": "application/json", "x-shopify-hmac-sha256": sign(body) });
  const response = await call(() =>
    flowAction({
      request: new Request("https://amends.test/flow/actions/open-incident", { method: "POST", headers, body }),
      params: {},
      context: {},
    }),
  );
  const json = (await response.json()) as { incidentId?: string; replayed?: boolean };
  return { status: response.status, ...json };
}

function within<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not finished within ${GENEROUS_MS / 1000} s`)), GENEROUS_MS);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

test("with a main pool of one connection, concurrent Flow actions and a concurrent retry all complete, once per run", async () => {
  expect(env().DATABASE_POOL_SIZE).toBe(1);
  const orders = [await placeOrder(), await placeOrder(), await placeOrder()];
  const retried = actionBody(orders[0]!);
  const bodies = [retried, retried, actionBody(orders[1]!), actionBody(orders[2]!)];

  const answers = await within(Promise.all(bodies.map(postAction)));

  expect(pgPool().options.max).toBe(1);
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  // The retried run answered one incident, opened once; the replay says so.
  expect(answers[0]!.incidentId).toBe(answers[1]!.incidentId);
  expect([answers[0]!.replayed, answers[1]!.replayed].sort()).toEqual([false, true]);
  expect(await prisma.incident.count({ where: { shop: SHOP } })).toBe(3);
  expect(await prisma.flowActionRun.count({ where: { shop: SHOP } })).toBe(3);
  expect(await prisma.incidentEvent.count({ where: { shop: SHOP, kind: "FLOW_ACTION" } })).toBe(3);
  expect(await jobs("decide-incident")).toHaveLength(3);
});

test("a retry after the answer replays it without reading the order again", async () => {
  const body = actionBody(await placeOrder());
  const first = await within(postAction(body));
  const reads = sandbox.admin.calls.length;
  const again = await within(postAction(body));
  expect(again).toEqual({ ...first, replayed: true });
  expect(sandbox.admin.calls.length).toBe(reads);
  expect(await prisma.incident.count({ where: { shop: SHOP } })).toBe(1);
});

test("with a main pool of one connection, a Flow action whose offline token must be refreshed completes", async () => {
  const orderId = await placeOrder();
  const before = (await prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } })).accessToken;
  // The offline token (1 h) has expired: the action's Admin read first refreshes it under a lock.
  sandbox.clock.advance(2 * 60 * 60 * 1000);
  const answer = await within(postAction(actionBody(orderId)));
  expect(answer.status).toBe(200);
  const after = (await prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } })).accessToken;
  expect(after).not.toBe(before);
});

test("work under a session lock uses the pool without holding a pool connection for the lock", async () => {
  // Token refreshes and discount slots run like this: the lock is held while the work reads and writes.
  const count = await within(withSessionLock("pool-safety", () => prisma.shop.count()));
  expect(count).toBe(1);
  expect(pgPool().totalCount).toBeLessThanOrEqual(1);
});
