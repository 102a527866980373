/**
 * Finding a customer's incident (issue 17 item 2, decision 0125) through the real index loader and
 * the sandbox's Admin API: an email or a name goes to Shopify's customer search at query time, the
 * rows show names and emails read live, and a shop whose app is not approved for them still finds
 * incidents by order name, with the page saying why names cannot be searched.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { loader as approvalsLoader } from "../../app/routes/app.approvals";
import { loader as detailLoader } from "../../app/routes/app.incidents.$id/route";
import { loader as indexLoader } from "../../app/routes/app.incidents._index/route";
import { gid, LEVEL_1_ACCESS } from "../../sandbox";
import type { Customer } from "../../sandbox/store";
import { adminRequest } from "../helpers/admin-request";
import { acceptDeliveries, resetWithShops, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";

const OTHER = "amends-other-store.myshopify.com";
const NOW = new Date("2026-11-02T15:00:00Z");

const sandbox = sandboxForTests({ deliver: acceptDeliveries });

let ada: Customer;
let byron: Customer;
let grace: Customer;

beforeEach(async () => {
  await resetWithShops(sandbox, NOW, [TEST_SHOP, OTHER]);
  ada = sandbox.activity.createCustomer(TEST_SHOP, {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
  });
  // Same first name, an email one word away: an exact email search must not find her.
  byron = sandbox.activity.createCustomer(TEST_SHOP, { firstName: "Ada", lastName: "Byron", email: "ada@example.org" });
  grace = sandbox.activity.createCustomer(TEST_SHOP, {
    firstName: "Grace",
    lastName: "Hopper",
    email: "grace@example.com",
  });
  // Shopify's search index follows creation after a lag; lookups by id do not wait.
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  await incident(TEST_SHOP, "#1001", ada.id);
  await incident(TEST_SHOP, "#1002", byron.id);
  await incident(TEST_SHOP, "#1003", grace.id);
  await incident(TEST_SHOP, "#1004", ada.id);
  // Another shop's incident for a customer with Ada's id: never in this shop's answers.
  await incident(OTHER, "#1001", ada.id);
});

let seq = 0;
async function incident(shop: string, orderName: string, customerId: string) {
  seq += 1;
  await prisma.incident.create({
    data: {
      shop,
      orderGid: `gid://shopify/Order/${9000 + seq}`,
      orderName,
      customerGid: gid("Customer", customerId),
      type: "LATE_FULFILLMENT",
      severity: "minor",
      state: "OPEN",
      openSlot: "open",
      measure: { kind: "DAYS_LATE", days: 2 },
      evidence: {},
      occurredAt: new Date(NOW.getTime() - 86_400_000 * 2 + seq * 1000),
      detectedAt: new Date(NOW.getTime() - 86_400_000 + seq * 1000),
    },
  });
}

const index = async (q: string, shop = TEST_SHOP) => {
  const query = q ? `?${new URLSearchParams({ q }).toString()}` : "";
  const result = await indexLoader({
    request: adminRequest(`/app/incidents${query}`, { shop }),
    params: {},
    context: {},
  });
  if (result instanceof Response) throw new Error(`index answered ${result.status}`);
  return result;
};
const names = (page: Awaited<ReturnType<typeof index>>) => page.rows.map((r) => r.orderName);

test("an email finds that customer's incidents only (Shopify's search, an exact address), with names and emails on the rows", async () => {
  const page = await index("ada@example.com");
  expect(names(page)).toEqual(["#1004", "#1001"]);
  expect(page.customerSearch).toEqual({ kind: "EMAIL", outcome: "FOUND", reason: null, more: false });
  expect(page.rows[0]!.customer).toEqual({ name: "Ada Lovelace", email: "ada@example.com" });
  expect(page.namesMissing).toBeNull();
  // Case does not matter to Shopify's search.
  expect(names(await index("ADA@Example.com"))).toEqual(["#1004", "#1001"]);
  // No such customer: no incident, not every incident.
  expect(names(await index("nobody@example.com"))).toEqual([]);
  // The search went to Shopify with the address quoted (a phrase), never stored.
  const searches = sandbox.admin.calls.filter((c) => c.operationName === "AmendsCustomerSearch");
  expect(searches[0]!.variables).toEqual({ query: "email:'ada@example.com'" });
});

test("a name finds every customer with it; first and last names both count; order names still work", async () => {
  expect(names(await index("Ada"))).toEqual(["#1004", "#1002", "#1001"]);
  expect(names(await index("ada lovelace"))).toEqual(["#1004", "#1001"]);
  expect(names(await index("Hopper"))).toEqual(["#1003"]);
  expect(names(await index("#1003"))).toEqual(["#1003"]);
  expect(names(await index("1002"))).toEqual(["#1002"]);
  // The other shop's Shopify answers for the other shop; its own customers have none of these names.
  expect(names(await index("ada@example.com", OTHER))).toEqual([]);
  expect(names(await index("#1001", OTHER))).toEqual(["#1001"]);
});

test("an app not approved for names and emails: the search says why, order names still work, rows show ids", async () => {
  sandbox.store.shop(TEST_SHOP).protectedData = LEVEL_1_ACCESS;
  const byEmail = await index("ada@example.com");
  expect(byEmail.customerSearch).toEqual({ kind: "EMAIL", outcome: "REFUSED", reason: "PROTECTED_DATA", more: false });
  expect(names(byEmail)).toEqual([]);
  const byName = await index("Lovelace");
  expect(byName.customerSearch).toMatchObject({ kind: "NAME", outcome: "REFUSED", reason: "PROTECTED_DATA" });

  const byOrder = await index("#1001");
  expect(names(byOrder)).toEqual(["#1001"]);
  expect(byOrder.customerSearch).toBeNull();
  expect(byOrder.rows[0]).toMatchObject({ customerId: ada.id, customer: null });
  expect(byOrder.namesMissing).toBe("PROTECTED_DATA");
});

test("approved for names but not emails: names search and show, an email search is refused", async () => {
  sandbox.store.shop(TEST_SHOP).protectedData = { level: "level2", fields: ["name"] };
  expect(names(await index("Lovelace"))).toEqual(["#1004", "#1001"]);
  const all = await index("");
  expect(all.rows.find((r) => r.orderName === "#1003")!.customer).toEqual({ name: "Grace Hopper", email: null });
  expect(all.namesMissing).toBe("PROTECTED_DATA");
  expect((await index("grace@example.com")).customerSearch).toMatchObject({
    outcome: "REFUSED",
    reason: "PROTECTED_DATA",
  });
});

test("without access to customers (scope taken back) the page still renders, by order name, and says so", async () => {
  sandbox.admin.grants.revoke(TEST_SHOP, ["read_customers", "write_customers"]);
  const byEmail = await index("ada@example.com");
  expect(byEmail.customerSearch).toMatchObject({ outcome: "REFUSED", reason: "ACCESS" });
  const byOrder = await index("#1002");
  expect(names(byOrder)).toEqual(["#1002"]);
  expect(byOrder.rows[0]!.customer).toBeNull();
  expect(byOrder.namesMissing).toBe("ACCESS");
});

test("a customer created a moment ago is not in Shopify's search yet, as on Shopify", async () => {
  const newcomer = sandbox.activity.createCustomer(TEST_SHOP, {
    firstName: "Mary",
    lastName: "Somerville",
    email: "mary@example.com",
  });
  await incident(TEST_SHOP, "#1005", newcomer.id);
  expect(names(await index("mary@example.com"))).toEqual([]);
  sandbox.clock.advance(sandbox.admin.timing.searchIndexLagMs);
  expect(names(await index("mary@example.com"))).toEqual(["#1005"]);
});

// --- Names on the approvals and incident pages ---

async function waitingOffer(orderName: string) {
  const incident = await prisma.incident.findFirstOrThrow({ where: { shop: TEST_SHOP, orderName } });
  await prisma.offer.create({
    data: {
      shop: TEST_SHOP,
      incidentId: incident.id,
      customerGid: incident.customerGid,
      kind: "DISCOUNT_PERCENT",
      cell: { kind: "DISCOUNT_PERCENT", value: 20, expiryDays: 60, approval: "MANAGER", messageTemplateKey: "default" },
      gridVersion: 1,
      faceValueMinor: 800,
      currency: "USD",
      status: "PENDING_APPROVAL",
      approval: "MANAGER",
      explanation: [],
      summary: "20% code",
      issueKey: `key-${incident.id}`,
    },
  });
  return incident.id;
}

const approvals = async () => {
  const result = await approvalsLoader({ request: adminRequest("/app/approvals"), params: {}, context: {} });
  if (result instanceof Response) throw new Error(`approvals answered ${result.status}`);
  return result;
};
const detail = async (id: string) => {
  const result = await detailLoader({ request: adminRequest(`/app/incidents/${id}`), params: { id }, context: {} });
  if (result instanceof Response) throw new Error(`incident answered ${result.status}`);
  return result;
};

test("the approvals queue and the incident page name the customer, read live; the id stands in when Shopify refuses", async () => {
  const id = await waitingOffer("#1001");
  const queue = await approvals();
  expect(queue.rows.map((r) => r.customer?.label)).toEqual(["Ada Lovelace (ada@example.com)"]);
  expect(queue.customerNamesMissing).toBeNull();
  const page = await detail(id);
  expect(page.customer).toEqual({ name: "Ada Lovelace", email: "ada@example.com" });
  // One nodes read for the whole page, not one a customer.
  const reads = sandbox.admin.calls.filter((c) => c.operationName === "AmendsCustomerNames");
  expect(reads).toHaveLength(2);

  sandbox.store.shop(TEST_SHOP).protectedData = LEVEL_1_ACCESS;
  const refused = await approvals();
  expect(refused.rows.map((r) => r.customer?.label)).toEqual([`Customer #${ada.id}`]);
  expect(refused.customerNamesMissing).toBe("PROTECTED_DATA");
  const refusedPage = await detail(id);
  expect(refusedPage).toMatchObject({ customer: null, customerNamesMissing: "PROTECTED_DATA" });
  expect(refusedPage.incident.customerId).toBe(ada.id);
});

test("a failed read of names (Shopify down) still renders every page, with ids", async () => {
  const id = await waitingOffer("#1002");
  // Every answer to the two customer reads is lost on the way back (the client retries, then gives up).
  sandbox.admin.faults.failAfterApply("AmendsCustomerNames", 1000);
  sandbox.admin.faults.failAfterApply("AmendsCustomerSearch", 1000);
  const page = await index("");
  expect(page.rows.every((r) => r.customer === null)).toBe(true);
  expect(page.namesMissing).toBe("FAILED");
  expect((await index("ada@example.com")).customerSearch).toMatchObject({ outcome: "FAILED" });
  expect(names(await index("#1002"))).toEqual(["#1002"]);
  expect((await detail(id)).customerNamesMissing).toBe("FAILED");
  expect((await approvals()).rows[0]!.customer?.label).toBe(`Customer #${byron.id}`);
});
