/**
 * AdminClient over the library's real admin client (unauthenticated.admin with
 * a stored offline session), against the sandbox store: throttling waits
 * exactly as long as the bucket needs, transient failures back off and retry,
 * and what cannot succeed is thrown at once with a typed error.
 */
import { http, HttpResponse } from "msw";
import { beforeEach, expect, test } from "vitest";
import { z } from "zod";
import { isTerminal } from "../../app/queue/errors";
import { unauthenticated } from "../../app/shopify.server";
import { seededRandom } from "../../app/recovery/random";
import { AdminClient, type AdminClientOptions } from "../../app/shopify/admin-client.server";
import { AdminApiError } from "../../app/shopify/admin-errors";
import { defineOperation } from "../../app/shopify/operation";
import { customerValue } from "../../app/shopify/operations/customer-value";
import { orderForRecovery } from "../../app/shopify/operations/order-for-recovery";
import { shopInfo } from "../../app/shopify/operations/shop-info";
import { gid } from "../../sandbox";
import { mswServer } from "../helpers/msw";
import { acceptDeliveries, installOfflineSession, sandboxForTests, shopWithOneCustomer } from "../helpers/sandbox";

const SHOP = "amends-client.myshopify.com";
const TOKEN = "shpat_client_retries";
const NOW = new Date("2026-11-02T15:00:00Z");
const ENDPOINT = `https://${SHOP}/admin/api/2026-10/graphql.json`;

// About retries, not tokens: one fixed never-expiring token, so the clock moved by backoffs never expires it mid-test.
const sandbox = sandboxForTests({ deliver: acceptDeliveries, admin: { accessTokens: { [SHOP]: TOKEN } } });

let customerGid: string;
let sleeps: number[];

beforeEach(async () => {
  customerGid = await shopWithOneCustomer(sandbox, { shop: SHOP, now: NOW, token: TOKEN });
  sleeps = [];
});

/** Fake sleep: records the wait and moves the sandbox's clock (its bucket refills on that clock). */
async function fakeSleep(ms: number) {
  sleeps.push(ms);
  sandbox.clock.advance(ms);
}

async function client(options: Partial<AdminClientOptions> = {}) {
  const { admin } = await unauthenticated.admin(SHOP);
  return new AdminClient({ transport: admin, shop: SHOP, sleep: fakeSleep, random: () => 0.5, ...options });
}

const outcomes = () => sandbox.admin.calls.map((c) => c.outcome);

test("THROTTLED waits exactly until the bucket holds the requested cost, then succeeds", async () => {
  sandbox.admin.rateLimits.configure(SHOP, { maximumAvailable: 100, restoreRate: 10, currentlyAvailable: 0 });
  const admin = await client();

  const data = await admin.run(customerValue, { id: customerGid });

  expect(data.customer?.id).toBe(customerGid);
  expect(outcomes()).toEqual(["throttled", "ok"]);
  const requested = sandbox.admin.calls[0]!.cost!.requested;
  // (requested - 0 available) / 10 points per second
  expect(sleeps).toEqual([Math.ceil((requested / 10) * 1000)]);
  expect(admin.costs.summary()).toMatchObject({ calls: 2, throttled: 1, requested: 2 * requested });
});

test("a call waits beforehand when the last known status says the bucket cannot pay for it", async () => {
  const admin = await client();
  await admin.run(customerValue, { id: customerGid });
  const requested = sandbox.admin.calls[0]!.cost!.requested;

  // The bucket holds exactly one call's worth; after it, the client's last status shows too little.
  sandbox.admin.rateLimits.configure(SHOP, { maximumAvailable: 100, restoreRate: 10, currentlyAvailable: requested });
  await admin.run(customerValue, { id: customerGid });
  const left = sandbox.admin.rateLimits.status(SHOP).currentlyAvailable;
  expect(left).toBeLessThan(requested);
  await admin.run(customerValue, { id: customerGid });

  // It waited instead of being throttled.
  expect(outcomes()).toEqual(["ok", "ok", "ok"]);
  expect(sleeps).toEqual([Math.ceil(((requested - left) / 10) * 1000)]);
});

test("an operation costing more than the whole bucket is not retried", async () => {
  sandbox.admin.rateLimits.configure(SHOP, { maximumAvailable: 50, restoreRate: 10, currentlyAvailable: 50 });
  const admin = await client();

  const error = await admin.run(orderForRecovery, { id: gid("Order", "1") }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AdminApiError);
  expect(error).toMatchObject({ code: "THROTTLED", retryable: false, operation: "AmendsOrderForRecovery" });
  expect(outcomes()).toEqual(["throttled"]);
  expect(sleeps).toEqual([]);
});

test("throttling that does not end gives up after maxThrottleRetries with a retryable THROTTLED", async () => {
  sandbox.admin.faults.configure(SHOP, { throttledShare: 1 });
  const admin = await client({ maxThrottleRetries: 3 });

  const error = await admin.run(shopInfo).catch((e: unknown) => e);

  expect(error).toMatchObject({ code: "THROTTLED", retryable: true, attempts: 4 });
  expect(outcomes()).toEqual(["throttled", "throttled", "throttled", "throttled"]);
  // The bucket says it holds enough, so there is no exact figure: a backoff instead.
  expect(sleeps).toEqual([250, 250, 250]);
});

test("HTTP 429 waits for its Retry-After", async () => {
  mswServer.use(
    http.post(
      ENDPOINT,
      () => HttpResponse.json({ errors: "Too Many Requests" }, { status: 429, headers: { "retry-after": "2" } }),
      { once: true },
    ),
  );
  const admin = await client();

  await admin.run(shopInfo);

  expect(sleeps).toEqual([2000]);
  expect(outcomes()).toEqual(["ok"]);
});

test("5xx answers are retried with exponential backoff and full jitter, then succeed", async () => {
  sandbox.admin.faults.configure(SHOP, { serverErrorShare: 1, seed: 3 });
  const admin = await client({
    random: seededRandom(42),
    sleep: async (ms) => {
      await fakeSleep(ms);
      if (sleeps.length === 2) sandbox.admin.faults.reset();
    },
  });

  const data = await admin.run(shopInfo);

  expect(data.shop.currencyCode).toBe("USD");
  expect(outcomes()).toEqual(["server-error", "server-error", "ok"]);
  const jitter = seededRandom(42);
  expect(sleeps).toEqual([Math.floor(jitter() * 500), Math.floor(jitter() * 1000)]);
});

test("persistent 5xx gives up after maxAttempts with SERVER_ERROR, retryable, status kept", async () => {
  sandbox.admin.faults.configure(SHOP, { serverErrorShare: 1, seed: 5 });
  const admin = await client({ random: () => 0.999 });

  const error = await admin.run(shopInfo).catch((e: unknown) => e);

  expect(error).toMatchObject({ code: "SERVER_ERROR", retryable: true, attempts: 5 });
  expect([502, 503]).toContain((error as AdminApiError).status);
  expect(isTerminal(error)).toBe(false);
  expect(outcomes()).toEqual(Array(5).fill("server-error"));
  // Ceilings 500, 1000, 2000, 4000 ms; the draw is just under each.
  expect(sleeps).toEqual([499, 999, 1998, 3996]);
});

test("backoff is capped at maxBackoffMs", async () => {
  sandbox.admin.faults.configure(SHOP, { serverErrorShare: 1 });
  const admin = await client({ random: () => 0.5, maxAttempts: 6, baseBackoffMs: 1000, maxBackoffMs: 3000 });

  await admin.run(shopInfo).catch(() => undefined);

  expect(sleeps).toEqual([500, 1000, 1500, 1500, 1500]);
});

test("network errors are retried for reads, and become NETWORK after the last attempt", async () => {
  sandbox.admin.faults.configure(SHOP, { networkErrorShare: 1 });
  const admin = await client({ maxAttempts: 3 });

  const error = await admin.run(shopInfo).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: "NETWORK", retryable: true, attempts: 3 });
  expect(outcomes()).toEqual(["network-error", "network-error", "network-error"]);

  sandbox.admin.faults.reset();
  await expect(admin.run(shopInfo)).resolves.toMatchObject({ shop: { currencyCode: "USD" } });
});

test("a request with no answer is aborted at the timeout and retried; TIMEOUT when it never answers", async () => {
  // The sandbox would hang 5 s before a 504; the client gives up after 40 ms of real time.
  sandbox.admin.faults.configure(SHOP, { timeoutShare: 1, timeoutMs: 5_000 });
  const admin = await client({ timeoutMs: 40, maxAttempts: 2 });
  const started = Date.now();

  const error = await admin.run(customerValue, { id: customerGid }).catch((e: unknown) => e);

  expect(Date.now() - started).toBeLessThan(2_000);
  expect(error).toMatchObject({ code: "TIMEOUT", retryable: true, attempts: 2 });
  expect(outcomes()).toEqual(["timeout", "timeout"]);
  expect(sleeps).toHaveLength(1);
});

test("a timeout followed by an answer succeeds", async () => {
  sandbox.admin.faults.configure(SHOP, { timeoutShare: 1, timeoutMs: 5_000 });
  const admin = await client({
    timeoutMs: 40,
    sleep: async (ms) => {
      await fakeSleep(ms);
      sandbox.admin.faults.reset();
    },
  });

  await expect(admin.run(customerValue, { id: customerGid })).resolves.toMatchObject({
    customer: { id: customerGid },
  });
  expect(outcomes()).toEqual(["timeout", "ok"]);
});

test("401 is terminal: not retried, HTTP with status 401, isTerminal agrees", async () => {
  await installOfflineSession(SHOP, { accessToken: "shpat_revoked", scope: "read_orders,read_customers" });
  const admin = await client();

  const error = await admin.run(shopInfo).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AdminApiError);
  expect(error).toMatchObject({ code: "HTTP", status: 401, retryable: false });
  expect(isTerminal(error)).toBe(true);
  expect(outcomes()).toEqual(["unauthorized"]);
  expect(sleeps).toEqual([]);
});

test("404 (a shop Shopify does not know) is terminal", async () => {
  sandbox.store.shops.delete(SHOP);
  const admin = await client();

  const error = await admin.run(shopInfo).catch((e: unknown) => e);

  expect(error).toMatchObject({ code: "HTTP", status: 404, retryable: false });
  expect(isTerminal(error)).toBe(true);
});

test("GraphQL validation errors are GRAPHQL_ERRORS with Shopify's codes, not retried", async () => {
  const bad = defineOperation({ document: "query AmendsBad { shop { timezone } }", data: z.object({}) });
  const admin = await client();

  const error = await admin.run(bad).catch((e: unknown) => e);

  expect(error).toMatchObject({
    code: "GRAPHQL_ERRORS",
    retryable: false,
    graphqlErrors: [{ code: "undefinedField" }],
  });
  // A document the schema rejects fails the same way every time: a job stops rather than retry it.
  expect(isTerminal(error)).toBe(true);
  expect(outcomes()).toEqual(["invalid"]);
});

test("a response that does not match the operation's schema is UNEXPECTED_SHAPE", async () => {
  const strict = defineOperation({
    document: "query AmendsShopName { shop { name } }",
    data: z.object({ shop: z.object({ name: z.number() }) }),
  });
  const admin = await client();

  await expect(admin.run(strict)).rejects.toMatchObject({
    code: "UNEXPECTED_SHAPE",
    retryable: false,
    mayHaveApplied: false,
  });
});

test("variables that do not match the operation's schema are refused before anything is sent", async () => {
  const admin = await client();

  // @ts-expect-error: not a Customer GID, on purpose
  await expect(admin.run(customerValue, { id: 42 })).rejects.toMatchObject({
    code: "INVALID_VARIABLES",
    retryable: false,
  });
  await expect(admin.run(customerValue, { id: "gid://shopify/Order/1" })).rejects.toMatchObject({
    code: "INVALID_VARIABLES",
  });
  expect(sandbox.admin.calls).toEqual([]);
});

test("the cost ledger records requested and actual cost per operation", async () => {
  const admin = await client();
  await admin.run(shopInfo);
  await admin.run(customerValue, { id: customerGid });
  await admin.run(customerValue, { id: customerGid });

  const [info, value] = [sandbox.admin.calls[0]!.cost!, sandbox.admin.calls[1]!.cost!];
  expect(admin.costs.summary()).toEqual({
    calls: 3,
    throttled: 0,
    requested: info.requested + 2 * value.requested,
    actual: info.actual! + 2 * value.actual!,
    byOperation: {
      AmendsShopInfo: { calls: 1, throttled: 0, requested: info.requested, actual: info.actual },
      AmendsCustomerValue: { calls: 2, throttled: 0, requested: 2 * value.requested, actual: 2 * value.actual! },
    },
  });
  expect(admin.costs.entries.map((e) => [e.operation, e.at.toISOString()])).toEqual([
    ["AmendsShopInfo", NOW.toISOString()],
    ["AmendsCustomerValue", NOW.toISOString()],
    ["AmendsCustomerValue", NOW.toISOString()],
  ]);
});

// authenticate.admin hands HTTP errors over as a thrown Response, and a plain fetch-based transport
// returns non-2xx Responses: both are classified like the library's own errors.

test("a thrown Response (authenticate.admin's HTTP errors) keeps its status: 403 is terminal", async () => {
  const admin = new AdminClient({
    transport: { graphql: async () => Promise.reject(new Response("{}", { status: 403 })) },
    sleep: fakeSleep,
  });

  const error = await admin.run(shopInfo).catch((e: unknown) => e);

  expect(error).toMatchObject({ code: "HTTP", status: 403, retryable: false });
  expect(isTerminal(error)).toBe(true);
});

test("a transport returning a 503 Response is retried; a 200 with INTERNAL_SERVER_ERROR too", async () => {
  const answers = [
    new Response("Service Unavailable", { status: 503 }),
    Response.json({
      errors: [
        {
          message: "Internal error. Looks like something went wrong on our end.",
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        },
      ],
    }),
    Response.json({
      data: {
        shop: {
          name: "S",
          ianaTimezone: "UTC",
          currencyCode: "USD",
          plan: { publicDisplayName: "Basic", partnerDevelopment: false, shopifyPlus: false },
          customerAccountsV2: { customerAccountsVersion: "NEW_CUSTOMER_ACCOUNTS" },
        },
      },
    }),
  ];
  const admin = new AdminClient({
    transport: { graphql: async () => answers.shift()! },
    sleep: fakeSleep,
    random: () => 0.5,
  });

  await expect(admin.run(shopInfo)).resolves.toMatchObject({ shop: { name: "S" } });
  expect(sleeps).toEqual([250, 500]);
});
