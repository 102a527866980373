/**
 * How privacy requests end: a data request's export is downloaded once, by a manager or the
 * owner, through the privacy page (the download deletes it and is audited) or deleted after 30
 * days; both redactions delete pending exports; shop/redact deletes a large shop in short batches
 * and resumes where an interrupted run stopped.
 */
import type { JobHelpers } from "graphile-worker";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { taskList } from "../../app/jobs/task-list.server";
import { PURGE_EXPIRED_EXPORTS } from "../../app/jobs/privacy/purge-expired-exports.server";
import { action as download } from "../../app/routes/app.privacy.$id.export[.]json";
import { loader as appLoader } from "../../app/routes/app";
import { loader as dashboardLoader } from "../../app/routes/app._index";
import { loader as privacyLoader } from "../../app/routes/app.privacy";
import { purgeExpiredExports } from "../../app/services/privacy/exports.server";
import {
  runShopRedaction,
  SHOP_REDACTION_BATCH,
  type ShopRedactionProgress,
} from "../../app/services/privacy/shop-redaction.server";
import { processDelivery } from "../../app/services/webhook-processing.server";
import { adminRequest, call } from "../helpers/admin-request";
import { jobs } from "../helpers/db";
import { clearStoreAndDatabase, sandboxForTests } from "../helpers/sandbox";
import { examplePayload, sendWebhook, TEST_SHOP } from "../helpers/webhooks";

const OTHER_SHOP = "amends-other.myshopify.com";
const OWNER = "1001";
const SUPPORT = "1002";
const CUSTOMER = "115310627314723954";

const sandbox = sandboxForTests();

beforeEach(async () => {
  await clearStoreAndDatabase(sandbox);
  sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD" });
  sandbox.store.addShop({ domain: OTHER_SHOP, currency: "USD" });
});

async function deliver(topic: string, body: object, shop = TEST_SHOP) {
  const webhookId = `${topic}-${Math.random()}`;
  expect((await sendWebhook({ topic, body, shop, webhookId })).status).toBe(200);
  const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId } });
  expect(await processDelivery(row.id)).toMatchObject({ kind: "PROCESSED" });
}

/** A shop whose member SUPPORT has the given level, with one order and one data request for its customer. */
async function shopWithDataRequest(supportLevel: "STAFF" | "MANAGER", shop = TEST_SHOP): Promise<string> {
  await prisma.shop.create({ data: { shop, settings: { authority: { members: { [SUPPORT]: supportLevel } } } } });
  await deliver("orders/create", examplePayload("orders/create"), shop);
  await deliver(
    "customers/data_request",
    { shop_domain: shop, customer: { id: CUSTOMER }, orders_requested: [], data_request: { id: 9 } },
    shop,
  );
  const request = await prisma.complianceRequest.findFirstOrThrow({ where: { shop, kind: "CUSTOMER_DATA_REQUEST" } });
  expect(request.export).not.toBeNull();
  return request.id;
}

const post = (id: string, userId: string, shop = TEST_SHOP) =>
  call(() =>
    download({
      request: adminRequest(`/app/privacy/${id}/export.json`, { userId, shop, method: "POST" }),
      params: { id },
      context: {},
    }),
  ) as Promise<Response>;

test("a manager downloads the export once: it is delivered, deleted and audited; a second download finds nothing", async () => {
  const id = await shopWithDataRequest("MANAGER");

  const response = await post(id, SUPPORT);

  expect(response.status).toBe(200);
  expect(response.headers.get("content-disposition")).toMatch(
    /^attachment; filename="amends-data-request-\d+-.*\.json"$/,
  );
  const body = (await response.json()) as { customerGid: string; orders: Array<{ orderGid: string }> };
  expect(body.customerGid).toBe(`gid://shopify/Customer/${CUSTOMER}`);
  expect(body.orders).toHaveLength(1);
  const after = await prisma.complianceRequest.findUniqueOrThrow({ where: { id } });
  expect(after).toMatchObject({ export: null, deliveredBy: SUPPORT, deliveredAt: expect.any(Date) });
  expect(await prisma.auditEntry.findMany({ where: { shop: TEST_SHOP } })).toEqual([
    expect.objectContaining({ action: "privacy.export.download", subject: id, actor: SUPPORT, actorRole: "MANAGER" }),
  ]);
  // The audit names the request, never the customer's data.
  expect(JSON.stringify(await prisma.auditEntry.findMany())).not.toContain("Order/");

  expect((await post(id, OWNER)).status).toBe(410);
});

/** What every page's layout and the dashboard say about data requests waiting for a download. */
async function notices(userId = SUPPORT) {
  const request = () => adminRequest("/app", { userId });
  const layout = (await call(() => appLoader({ request: request(), params: {}, context: {} }))) as Awaited<
    ReturnType<typeof appLoader>
  >;
  const home = (await call(() => dashboardLoader({ request: request(), params: {}, context: {} }))) as Awaited<
    ReturnType<typeof dashboardLoader>
  >;
  return { nav: layout.waitingDataRequests, banner: home.dataRequests };
}

test("a data request waiting for a download is on the dashboard and counted in the navigation, until downloaded or expired", async () => {
  const id = await shopWithDataRequest("STAFF");
  const other = await shopWithDataRequest("MANAGER", OTHER_SHOP);
  const { exportExpiresAt } = await prisma.complianceRequest.findUniqueOrThrow({ where: { id } });

  // Any staff member sees that it waits (a STAFF member cannot download, but can tell someone who can).
  const waiting = await notices();
  expect(waiting).toEqual({ nav: 1, banner: { count: 1, earliestExpiry: exportExpiresAt!.toISOString() } });
  // Counts and a date: no customer.
  expect(JSON.stringify(waiting.banner)).not.toContain(CUSTOMER);

  // A second request, a day later: two wait, and the date is still the first one's.
  sandbox.clock.set(new Date(sandbox.clock.now().getTime() + 86_400_000));
  await deliver("customers/data_request", {
    shop_domain: TEST_SHOP,
    customer: { id: "77" },
    orders_requested: [],
    data_request: { id: 10 },
  });
  expect(await notices()).toEqual({ nav: 2, banner: { count: 2, earliestExpiry: exportExpiresAt!.toISOString() } });

  // Downloaded: one waits. Past its 30 days (even before the hourly purge): none.
  expect((await post(id, OWNER)).status).toBe(200);
  const second = await prisma.complianceRequest.findFirstOrThrow({
    where: { shop: TEST_SHOP, kind: "CUSTOMER_DATA_REQUEST", NOT: { id } },
  });
  expect(await notices()).toEqual({
    nav: 1,
    banner: { count: 1, earliestExpiry: second.exportExpiresAt!.toISOString() },
  });
  sandbox.clock.set(new Date(second.exportExpiresAt!.getTime() + 1_000));
  expect(await notices()).toEqual({ nav: 0, banner: null });
  // The other shop's request was never counted here, and still waits there.
  expect((await prisma.complianceRequest.findUniqueOrThrow({ where: { id: other } })).export).not.toBeNull();
});

test("a staff member without manager authority cannot download, and the page tells them so (no download offered)", async () => {
  const id = await shopWithDataRequest("STAFF");

  const response = await post(id, SUPPORT);

  expect(response.status).toBe(403);
  const still = await prisma.complianceRequest.findUniqueOrThrow({ where: { id } });
  expect(still.export).not.toBeNull();
  expect(still.deliveredAt).toBeNull();
  expect(await prisma.auditEntry.count()).toBe(0);

  const page = (await call(() =>
    privacyLoader({ request: adminRequest("/app/privacy", { userId: SUPPORT }), params: {}, context: {} }),
  )) as Awaited<ReturnType<typeof privacyLoader>>;
  expect(page.viewer).toEqual({ level: "STAFF", canDownload: false });
  expect(page.requests).toEqual([
    expect.objectContaining({ id, kind: "CUSTOMER_DATA_REQUEST", exportAvailable: true, result: expect.any(Object) }),
  ]);
  // The list never carries the export itself.
  expect(JSON.stringify(page)).not.toContain("orderGid");

  // The owner can.
  expect((await post(id, OWNER)).status).toBe(200);
});

test("another shop's request cannot be downloaded", async () => {
  const id = await shopWithDataRequest("MANAGER", OTHER_SHOP);
  await prisma.shop.create({ data: { shop: TEST_SHOP } });

  expect((await post(id, OWNER)).status).toBe(404);
  expect((await prisma.complianceRequest.findUniqueOrThrow({ where: { id } })).export).not.toBeNull();
});

test("an export nobody downloads is deleted once its 30 days are over, by the hourly job", async () => {
  const id = await shopWithDataRequest("MANAGER");
  const { exportExpiresAt } = await prisma.complianceRequest.findUniqueOrThrow({ where: { id } });

  expect(await purgeExpiredExports(new Date(exportExpiresAt!.getTime() - 60_000))).toBe(0);
  expect((await prisma.complianceRequest.findUniqueOrThrow({ where: { id } })).export).not.toBeNull();
  sandbox.clock.set(new Date(exportExpiresAt!.getTime() + 60_000));
  await taskList[PURGE_EXPIRED_EXPORTS]!({}, {} as JobHelpers);

  expect((await prisma.complianceRequest.findUniqueOrThrow({ where: { id } })).export).toBeNull();
  expect((await post(id, OWNER)).status).toBe(410);
});

test("customers/redact deletes the customer's pending export; shop/redact deletes every export of the shop", async () => {
  const id = await shopWithDataRequest("MANAGER");
  await deliver("customers/redact", { shop_domain: TEST_SHOP, customer: { id: CUSTOMER }, orders_to_redact: [] });
  expect((await prisma.complianceRequest.findUniqueOrThrow({ where: { id } })).export).toBeNull();

  const other = await shopWithDataRequest("MANAGER", OTHER_SHOP);
  await deliver("app/uninstalled", examplePayload("app/uninstalled"), OTHER_SHOP);
  await deliver("shop/redact", { shop_id: 2, shop_domain: OTHER_SHOP }, OTHER_SHOP);
  // Deleted in the delivery's own transaction, before the batched deletion runs.
  expect((await prisma.complianceRequest.findUniqueOrThrow({ where: { id: other } })).export).toBeNull();
  expect(await jobs("redact-shop")).toHaveLength(1);
});

/** A large shop made in SQL: 100,000 orders, 10,000 incidents with 2 events and an offer of 3 transitions each. */
async function seedLargeShop(shop: string, orders: number, incidents: number) {
  await prisma.shop.create({ data: { shop } });
  await prisma.$executeRaw`
    INSERT INTO "OrderRecord" (id, shop, "orderGid", name, "customerGid", "createdAt", "sourceUpdatedAt",
      currency, "totalPrice", tags, "discountCodes", "lineItemCount", "updatedAt")
    SELECT gen_random_uuid(), ${shop}, 'gid://shopify/Order/' || g, '#' || g, 'gid://shopify/Customer/' || (g % 7919),
      now(), now(), 'USD', 25.00, '{}', '{}', 1, now()
    FROM generate_series(1, ${orders}::int) g`;
  await prisma.$executeRaw`
    INSERT INTO "Incident" (id, shop, "orderGid", "orderName", type, severity, measure, evidence, "occurredAt",
      "detectedAt", explanation, "updatedAt")
    SELECT gen_random_uuid(), ${shop}, 'gid://shopify/Order/' || g, '#' || g, 'LATE_FULFILLMENT', 'major',
      '{}', '{}', now(), now(), '{}', now()
    FROM generate_series(1, ${incidents}::int) g`;
  await prisma.$executeRaw`
    INSERT INTO "IncidentEvent" (id, shop, "incidentId", kind, at, data)
    SELECT gen_random_uuid(), ${shop}, i.id, k, now(), '{}' FROM "Incident" i, unnest(ARRAY['SIGNAL', 'DECIDED']) k
    WHERE i.shop = ${shop}`;
  await prisma.$executeRaw`
    INSERT INTO "Offer" (id, shop, "incidentId", kind, cell, "gridVersion", "faceValueMinor", currency, status,
      approval, explanation, summary, "issueKey", "updatedAt")
    SELECT gen_random_uuid(), ${shop}, i.id, 'DISCOUNT_PERCENT', '{}', 1, 1000, 'USD', 'ISSUED', 'AUTO', '{}', '',
      'key-' || i.id, now()
    FROM "Incident" i WHERE i.shop = ${shop}`;
  await prisma.$executeRaw`
    INSERT INTO "OfferTransition" (id, shop, "offerId", "toStatus", at)
    SELECT gen_random_uuid(), ${shop}, o.id, s::"OfferStatus", now()
    FROM "Offer" o, unnest(ARRAY['PROPOSED', 'APPROVED', 'ISSUED']) s WHERE o.shop = ${shop}`;
}

test("shop/redact deletes a shop with 100,000 orders in short batches, children first, and resumes after an interruption", async () => {
  await seedLargeShop(TEST_SHOP, 100_000, 10_000);
  await prisma.shop.create({ data: { shop: OTHER_SHOP } });
  await deliver("orders/create", examplePayload("orders/create"), OTHER_SHOP);
  await prisma.shop.update({ where: { shop: TEST_SHOP }, data: { installState: "UNINSTALLED" } });
  await deliver("shop/redact", { shop_id: 1, shop_domain: TEST_SHOP });
  const [job] = await jobs("redact-shop");
  const requestId = job!.payload.requestId as string;

  // The run is interrupted (a crash, a deploy) after four batches: what they deleted stays deleted.
  const batches: Array<[string, number]> = [];
  const interrupted = await runShopRedaction(requestId, {
    afterBatch: (model, deleted) => {
      batches.push([model, deleted]);
      if (batches.length === 4) throw new Error("worker killed");
    },
  }).catch((e: unknown) => e);
  expect(interrupted).toMatchObject({ message: "worker killed" });
  expect(batches.map(([model]) => model)).toEqual([
    "OfferTransition",
    "OfferTransition",
    "OfferTransition",
    "OfferTransition",
  ]);
  expect(await prisma.offerTransition.count({ where: { shop: TEST_SHOP } })).toBe(30_000 - 4 * SHOP_REDACTION_BATCH);
  const partial = (await prisma.complianceRequest.findUniqueOrThrow({ where: { id: requestId } })).result;
  expect(partial).toMatchObject({ state: "RUNNING", deleted: { OfferTransition: 4 * SHOP_REDACTION_BATCH } });

  // The job's retry continues where it stopped.
  await taskList["redact-shop"]!(job!.payload, {
    job: { id: job!.id, attempts: 2, max_attempts: 25 },
  } as unknown as JobHelpers);

  const done = (await prisma.complianceRequest.findUniqueOrThrow({ where: { id: requestId } }))
    .result as unknown as ShopRedactionProgress;
  expect(done).toMatchObject({
    state: "DONE",
    deleted: {
      OfferTransition: 30_000,
      Offer: 10_000,
      IncidentEvent: 20_000,
      Incident: 10_000,
      OrderRecord: 100_000,
      Shop: 1,
    },
  });
  for (const table of ["OrderRecord", "Incident", "IncidentEvent", "Offer", "OfferTransition", "Shop"]) {
    const [row] = await prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE shop = $1`,
      TEST_SHOP,
    );
    expect(row!.n, table).toBe(0);
  }
  // Only the shop/redact delivery itself stays, with the record of the request; other shops are untouched.
  expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP } })).toBe(1);
  expect(await prisma.orderRecord.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  expect(await prisma.shop.count({ where: { shop: OTHER_SHOP } })).toBe(1);
}, 120_000);

test("two shop/redact runs at once (a duplicate request) both finish and leave nothing", async () => {
  await seedLargeShop(TEST_SHOP, 12_000, 1_000);
  await prisma.shop.update({ where: { shop: TEST_SHOP }, data: { installState: "UNINSTALLED" } });
  await deliver("shop/redact", { shop_id: 1, shop_domain: TEST_SHOP });
  await deliver("shop/redact", { shop_id: 1, shop_domain: TEST_SHOP });
  const requests = (await jobs("redact-shop")).map((j) => j.payload.requestId as string);
  expect(requests).toHaveLength(2);

  const runs = await Promise.all(requests.map((id) => runShopRedaction(id, { batchSize: 1_000 })));

  expect(runs.map((r) => r.state)).toEqual(["DONE", "DONE"]);
  const total = (model: keyof ShopRedactionProgress["deleted"]) =>
    runs.reduce((n, r) => n + (r.deleted[model] ?? 0), 0);
  expect([total("OrderRecord"), total("Offer"), total("OfferTransition"), total("Shop")]).toEqual([
    12_000, 1_000, 3_000, 1,
  ]);
  expect(await prisma.orderRecord.count({ where: { shop: TEST_SHOP } })).toBe(0);
  expect(await prisma.shop.count({ where: { shop: TEST_SHOP } })).toBe(0);
});

test("a run whose batch was taken by a duplicate run goes on with the same model, never past rows still there", async () => {
  // The race behind the duplicate-request test, made deterministic: another run (here a held
  // transaction) deletes exactly the rows this run's first batch picks and commits while this run
  // waits on them. That batch then deletes nothing, yet 2,000 transitions are left.
  await seedLargeShop(TEST_SHOP, 10, 1_000);
  await prisma.shop.update({ where: { shop: TEST_SHOP }, data: { installState: "UNINSTALLED" } });
  await deliver("shop/redact", { shop_id: 1, shop_domain: TEST_SHOP });
  const [job] = await jobs("redact-shop");
  const requestId = job!.payload.requestId as string;

  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let took = 0;
  const other = prisma.$transaction(
    async (tx) => {
      took = await tx.$executeRaw`
        DELETE FROM "OfferTransition" WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM "OfferTransition" WHERE shop = ${TEST_SHOP} LIMIT 1000))`;
      await held;
    },
    { timeout: 30_000 },
  );
  await expect.poll(() => took, { timeout: 10_000 }).toBe(1_000);

  const run = runShopRedaction(requestId, { batchSize: 1_000 });
  // Wait until the run's first DELETE is blocked on the held rows, then let the other commit.
  await expect
    .poll(
      async () =>
        (
          await prisma.$queryRaw<Array<{ n: number }>>`
            SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE '%DELETE FROM "OfferTransition"%'`
        )[0]!.n,
      { timeout: 10_000 },
    )
    .toBe(1);
  release();
  await other;

  const done = await run;
  expect(done.state).toBe("DONE");
  expect(done.deleted.OfferTransition).toBe(2_000);
  expect(done.deleted.Offer).toBe(1_000);
  expect(await prisma.offerTransition.count({ where: { shop: TEST_SHOP } })).toBe(0);
});
