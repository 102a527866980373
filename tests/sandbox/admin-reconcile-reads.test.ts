/**
 * The reads Amends reconciles with (giftCards and draftOrders searches) and
 * discountCodeBasicUpdate's customer list, through the Admin API and on to a
 * checkout that redeems the discount's codes.
 */
import { beforeEach, describe, expect, test } from "vitest";
import { discountCustomersAdd } from "../../app/shopify/operations/discount-customers-add";
import { draftOrdersByTag } from "../../app/shopify/operations/draft-orders-by-tag";
import { giftCardsForReconcile } from "../../app/shopify/operations/gift-cards-for-reconcile";
import { SandboxError, StoreActivity } from "../../sandbox/activity";
import { createAdminApi, type AdminApi } from "../../sandbox/admin";
import { adminRequest, buildFixture, FIXTURE_SHOP, type Fixture } from "../../sandbox/admin/test-fixtures";
import { DAY, HOUR } from "../../sandbox/clock";
import type { CodeDiscount, DraftOrder, GiftCard } from "../../sandbox/store";
import { mswServer } from "../helpers/msw";
import { appTomlScopes } from "../helpers/app-scopes";

let fx: Fixture;
let api: AdminApi;
let activity: StoreActivity;

beforeEach(() => {
  fx = buildFixture();
  api = createAdminApi(fx.store, { scopes: appTomlScopes() });
  activity = new StoreActivity(fx.store);
  mswServer.use(...api.handlers);
});

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const ago = (ms: number) => new Date(fx.clock.now().getTime() - ms);
type UserErrors = Array<{ field: string[] | null; code?: string | null; message: string }>;

function giftCard(code: string, initialValue: string, createdAt: Date, extra: Partial<GiftCard> = {}): GiftCard {
  const card = activity.createGiftCard(FIXTURE_SHOP, { code, initialValue, customerId: fx.customers.ada.id });
  Object.assign(card, { createdAt }, extra);
  return card;
}

function draft(tags: string[], createdAt: Date, extra: Partial<DraftOrder> = {}): DraftOrder {
  const d: DraftOrder = {
    id: fx.store.newId(),
    name: `#D${fx.shop.draftOrders.size + 1}`,
    status: "OPEN",
    createdAt,
    updatedAt: createdAt,
    customerId: fx.customers.ada.id,
    lineItems: [{ variantId: fx.products.mug.variants[0]!.id, quantity: 1, discountPercent: 100 }],
    shippingAddress: null,
    shippingLine: null,
    note: null,
    tags,
    orderId: null,
    completedAt: null,
    ...extra,
  };
  fx.shop.draftOrders.set(d.id, d);
  return d;
}

describe("giftCards(query:)", () => {
  let cards: {
    old: GiftCard;
    recent: GiftCard;
    latest: GiftCard;
    bobs: GiftCard;
    disabled: GiftCard;
    expired: GiftCard;
  };

  beforeEach(() => {
    cards = {
      old: giftCard("oldcard00000001", "10.00", ago(30 * DAY)),
      recent: giftCard("recentcard000002", "25.00", ago(2 * HOUR), { note: "offer_1" }),
      latest: giftCard("latestcard000003", "15.00", ago(HOUR), { balance: "5.00" }),
      bobs: giftCard("bobscard00000004", "20.00", ago(HOUR), { customerId: fx.customers.bob.id }),
      disabled: giftCard("disabled00000005", "5.00", ago(3 * DAY), { enabled: false }),
      expired: giftCard("expired000000006", "5.00", ago(400 * DAY), { expiresOn: "2026-01-01" }),
    };
  });

  type Page = {
    giftCards: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
  const search = async (query: string | null, extra: Record<string, unknown> = {}) => {
    const res = await adminRequest<Page>(
      `query($query: String, $sortKey: GiftCardSortKeys, $reverse: Boolean, $after: String, $first: Int) {
        giftCards(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) { nodes { id } pageInfo { hasNextPage endCursor } }
      }`,
      { query, first: 50, ...extra },
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.giftCards;
  };
  const ids = (...list: GiftCard[]) => list.map((c) => ({ id: gid("GiftCard", c.id) }));

  test("the app's reconcile search: one customer's cards created since a time, newest first", async () => {
    const since = ago(3 * HOUR).toISOString();
    const page = await search(`customer_id:${fx.customers.ada.id} created_at:>='${since}'`, {
      sortKey: "CREATED_AT",
      reverse: true,
    });
    expect(page.nodes).toEqual(ids(cards.latest, cards.recent));
  });

  test("created_at with every comparator, bare dates in the shop's zone", async () => {
    const at = cards.recent.createdAt.toISOString();
    const mine = `customer_id:${fx.customers.ada.id}`;
    expect((await search(`${mine} created_at:>'${at}'`)).nodes).toEqual(ids(cards.latest));
    expect((await search(`${mine} created_at:<'${at}'`)).nodes).toEqual(ids(cards.old, cards.disabled, cards.expired));
    expect((await search(`${mine} created_at:<='${at}'`, { sortKey: "CREATED_AT" })).nodes).toEqual(
      ids(cards.expired, cards.old, cards.disabled, cards.recent),
    );
    expect((await search(`created_at:"${at}"`)).nodes).toEqual(ids(cards.recent));
    // 2026-11-02 in New York runs from 04:00Z; the fixture's now is 15:00Z.
    expect((await search(`${mine} created_at:2026-11-02`)).nodes).toEqual(ids(cards.recent, cards.latest));
  });

  test("id, status, balance and expiry filters; unknown fields are reported and ignored", async () => {
    expect((await search(`id:${cards.recent.id}`)).nodes).toEqual(ids(cards.recent));
    expect((await search(`id:>=${cards.disabled.id}`)).nodes).toEqual(ids(cards.disabled, cards.expired));
    expect((await search("status:disabled")).nodes).toEqual(ids(cards.disabled));
    expect((await search("status:expired")).nodes).toEqual(ids(cards.expired));
    expect((await search("status:enabled")).nodes).toEqual(ids(cards.old, cards.recent, cards.latest, cards.bobs));
    expect((await search("status:disabled OR status:expired")).nodes).toEqual(ids(cards.disabled, cards.expired));
    expect((await search("balance_status:partial")).nodes).toEqual(ids(cards.latest));
    expect((await search("initial_value:>=20")).nodes).toEqual(ids(cards.recent, cards.bobs));
    expect((await search("expires_on:<2026-06-01")).nodes).toEqual(ids(cards.expired));
    expect((await search("0002")).nodes).toEqual(ids(cards.recent));

    const res = await adminRequest(`{ giftCards(first: 5, query: "colour:blue status:disabled") { nodes { id } } }`);
    expect(res.body.data).toEqual({ giftCards: { nodes: ids(cards.disabled) } });
    expect(res.body.extensions?.search).toEqual([
      {
        path: ["giftCards"],
        query: "colour:blue status:disabled",
        warnings: [{ field: "colour", message: "Invalid search field for this query." }],
      },
    ]);
  });

  test("sorts by ID by default, and by CREATED_AT, INITIAL_VALUE, either way", async () => {
    expect((await search(null)).nodes).toEqual(
      ids(cards.old, cards.recent, cards.latest, cards.bobs, cards.disabled, cards.expired),
    );
    expect((await search(null, { reverse: true })).nodes).toEqual(
      ids(cards.expired, cards.disabled, cards.bobs, cards.latest, cards.recent, cards.old),
    );
    expect((await search(null, { sortKey: "CREATED_AT" })).nodes).toEqual(
      ids(cards.expired, cards.old, cards.disabled, cards.recent, cards.latest, cards.bobs),
    );
    expect((await search(null, { sortKey: "INITIAL_VALUE", reverse: true })).nodes).toEqual(
      ids(cards.recent, cards.bobs, cards.latest, cards.old, cards.expired, cards.disabled),
    );
  });

  test("pages with keyset cursors in the sorted order", async () => {
    const seen: Array<{ id: string }> = [];
    let after: string | null = null;
    for (;;) {
      const page = await search(null, { sortKey: "CREATED_AT", reverse: true, first: 4, after });
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids(cards.bobs, cards.latest, cards.recent, cards.disabled, cards.old, cards.expired));
  });

  test("unmodelled sort keys, filters and saved searches are refused loudly", async () => {
    for (const query of [
      `{ giftCards(first: 5, sortKey: CUSTOMER_NAME) { nodes { id } } }`,
      `{ giftCards(first: 5, query: "source:manual") { nodes { id } } }`,
      `{ giftCards(first: 5, query: "status:expiring") { nodes { id } } }`,
      `{ giftCards(first: 5, savedSearchId: "gid://shopify/SavedSearch/1") { nodes { id } } }`,
    ]) {
      const res = await adminRequest(query);
      expect(res.body.errors, query).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: "SANDBOX_NOT_MODELLED" }) }),
      ]);
    }
  });

  test("costs 2 + first × node", async () => {
    const res = await adminRequest(`{ giftCards(first: 10) { nodes { id initialValue { amount } customer { id } } } }`);
    // A node: the card 1, initialValue 1, customer 1; six cards came back.
    expect(res.body.extensions?.cost).toMatchObject({ requestedQueryCost: 2 + 10 * 3, actualQueryCost: 2 + 6 * 3 });
  });
});

describe("draftOrders(query:)", () => {
  let drafts: { gift: DraftOrder; other: DraftOrder; done: DraftOrder; invoiced: DraftOrder };

  beforeEach(() => {
    drafts = {
      gift: draft(["amends-offer-off_1", "Gift"], ago(3 * DAY)),
      other: draft(["amends-offer-off_12"], ago(2 * DAY), { customerId: fx.customers.bob.id }),
      done: draft(["Amends-Offer-Off_2"], ago(5 * DAY), {
        status: "COMPLETED",
        updatedAt: ago(HOUR),
        orderId: fx.orders.unfulfilled.id,
        completedAt: ago(HOUR),
      }),
      invoiced: draft([], ago(DAY), { status: "INVOICE_SENT" }),
    };
  });

  type Page = {
    draftOrders: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
  const search = async (query: string | null, extra: Record<string, unknown> = {}) => {
    const res = await adminRequest<Page>(
      `query($query: String, $sortKey: DraftOrderSortKeys, $reverse: Boolean, $after: String, $first: Int) {
        draftOrders(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) { nodes { id } pageInfo { hasNextPage endCursor } }
      }`,
      { query, first: 50, ...extra },
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.draftOrders;
  };
  const ids = (...list: DraftOrder[]) => list.map((d) => ({ id: gid("DraftOrder", d.id) }));

  test("tag matches a whole tag in any letter case, not a prefix", async () => {
    expect((await search(`tag:"amends-offer-off_1"`)).nodes).toEqual(ids(drafts.gift));
    expect((await search(`tag:amends-offer-off_2`)).nodes).toEqual(ids(drafts.done));
    expect((await search(`tag:GIFT`)).nodes).toEqual(ids(drafts.gift));
    expect((await search(`tag:nothing`)).nodes).toEqual([]);
  });

  test("status, customer_id, id and created_at filters, combined with AND", async () => {
    expect((await search("status:open")).nodes).toEqual(ids(drafts.gift, drafts.other));
    expect((await search("status:invoice_sent")).nodes).toEqual(ids(drafts.invoiced));
    expect((await search("status:completed")).nodes).toEqual(ids(drafts.done));
    expect((await search(`customer_id:${fx.customers.bob.id}`)).nodes).toEqual(ids(drafts.other));
    expect((await search(`id:<${drafts.done.id}`)).nodes).toEqual(ids(drafts.gift, drafts.other));
    expect(
      (await search(`created_at:>=${ago(3 * DAY).toISOString()} status:open customer_id:${fx.customers.ada.id}`)).nodes,
    ).toEqual(ids(drafts.gift));
    expect((await search(`created_at:<${ago(4 * DAY).toISOString()}`)).nodes).toEqual(ids(drafts.done));
  });

  test("sorts by ID (default), NUMBER and UPDATED_AT; pages with cursors", async () => {
    expect((await search(null)).nodes).toEqual(ids(drafts.gift, drafts.other, drafts.done, drafts.invoiced));
    expect((await search(null, { sortKey: "NUMBER", reverse: true })).nodes).toEqual(
      ids(drafts.invoiced, drafts.done, drafts.other, drafts.gift),
    );
    expect((await search(null, { sortKey: "UPDATED_AT" })).nodes).toEqual(
      ids(drafts.gift, drafts.other, drafts.invoiced, drafts.done),
    );
    const first = await search(null, { sortKey: "UPDATED_AT", reverse: true, first: 3 });
    expect(first).toMatchObject({
      nodes: ids(drafts.done, drafts.invoiced, drafts.other),
      pageInfo: { hasNextPage: true },
    });
    const rest = await search(null, {
      sortKey: "UPDATED_AT",
      reverse: true,
      first: 3,
      after: first.pageInfo.endCursor,
    });
    expect(rest).toMatchObject({ nodes: ids(drafts.gift), pageInfo: { hasNextPage: false } });
  });

  test("unmodelled sort keys and filters are refused loudly", async () => {
    for (const query of [
      `{ draftOrders(first: 5, sortKey: CUSTOMER_NAME) { nodes { id } } }`,
      `{ draftOrders(first: 5, query: "source:api") { nodes { id } } }`,
    ]) {
      const res = await adminRequest(query);
      expect(res.body.errors, query).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: "SANDBOX_NOT_MODELLED" }) }),
      ]);
    }
  });
});

describe("discountCodeBasicUpdate", () => {
  const UPDATE = `mutation($id: ID!, $input: DiscountCodeBasicInput!) {
    discountCodeBasicUpdate(id: $id, basicCodeDiscount: $input) {
      codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title startsAt endsAt usageLimit appliesOncePerCustomer
        context { ... on DiscountCustomers { customers { id } } ... on DiscountBuyerSelectionAll { all } } } } }
      userErrors { field code message }
    }
  }`;
  type Updated = {
    discountCodeBasicUpdate: {
      codeDiscountNode: { id: string; codeDiscount: Record<string, unknown> } | null;
      userErrors: UserErrors;
    };
  };
  let discount: CodeDiscount;
  const update = (input: Record<string, unknown>, id = gid("DiscountCodeNode", discount.id)) =>
    adminRequest<Updated>(UPDATE, { id, input });
  const customer = (id: string) => gid("Customer", id);

  beforeEach(() => {
    discount = activity.createDiscount(FIXTURE_SHOP, {
      code: "AMENDS-GROUP",
      title: "Sorry for the delay",
      value: { percentage: 0.1 },
      customerIds: [fx.customers.ada.id],
      endsAt: new Date(fx.clock.now().getTime() + 30 * DAY),
      usageLimit: 5,
      appliesOncePerCustomer: true,
    });
  });

  test("context.customers.add adds (idempotently) and remove removes; nothing else changes", async () => {
    const added = await update({
      context: { customers: { add: [customer(fx.customers.bob.id), customer(fx.customers.ada.id)] } },
    });
    expect(added.body.errors).toBeUndefined();
    expect(added.body.data?.discountCodeBasicUpdate).toEqual({
      codeDiscountNode: {
        id: gid("DiscountCodeNode", discount.id),
        codeDiscount: {
          title: "Sorry for the delay",
          startsAt: "2026-11-02T15:00:00Z",
          endsAt: "2026-12-02T15:00:00Z",
          usageLimit: 5,
          appliesOncePerCustomer: true,
          context: { customers: [{ id: customer(fx.customers.ada.id) }, { id: customer(fx.customers.bob.id) }] },
        },
      },
      userErrors: [],
    });
    await update({ context: { customers: { add: [customer(fx.customers.bob.id)] } } });
    expect(discount.customerIds).toEqual([fx.customers.ada.id, fx.customers.bob.id]);

    const removed = await update({ context: { customers: { remove: [customer(fx.customers.ada.id)] } } });
    expect(removed.body.data?.discountCodeBasicUpdate.codeDiscountNode?.codeDiscount.context).toEqual({
      customers: [{ id: customer(fx.customers.bob.id) }],
    });
  });

  test("title, dates, usage limit and once per customer; null clears endsAt and usageLimit", async () => {
    fx.clock.advance(HOUR);
    const res = await update({
      title: "Our apologies",
      startsAt: "2026-11-03T00:00:00Z",
      endsAt: null,
      usageLimit: null,
      appliesOncePerCustomer: false,
    });
    expect(res.body.data?.discountCodeBasicUpdate).toMatchObject({
      codeDiscountNode: {
        codeDiscount: {
          title: "Our apologies",
          startsAt: "2026-11-03T00:00:00Z",
          endsAt: null,
          usageLimit: null,
          appliesOncePerCustomer: false,
        },
      },
      userErrors: [],
    });
    expect(discount.updatedAt).toEqual(fx.clock.now());
    expect(
      (await update({ usageLimit: 2 })).body.data?.discountCodeBasicUpdate.codeDiscountNode?.codeDiscount.usageLimit,
    ).toBe(2);
  });

  test("userErrors: unknown discount, unknown customers, bad values, removing the last customer; nothing is applied", async () => {
    const unknown = await update({ title: "x" }, gid("DiscountCodeNode", "999999"));
    expect(unknown.body.data?.discountCodeBasicUpdate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["id"], code: "INVALID", message: "Discount does not exist" }],
    });

    const bad = await update({
      title: " ",
      endsAt: "2026-11-01T00:00:00Z",
      usageLimit: 0,
      context: {
        customers: { add: [customer(fx.customers.bob.id), customer("999999"), gid("Order", fx.orders.old.id)] },
      },
    });
    expect(bad.body.data?.discountCodeBasicUpdate.codeDiscountNode).toBeNull();
    expect(bad.body.data?.discountCodeBasicUpdate.userErrors.map((e) => [e.field?.join("."), e.code])).toEqual([
      ["basicCodeDiscount.title", "BLANK"],
      ["basicCodeDiscount.endsAt", "END_DATE_BEFORE_START_DATE"],
      ["basicCodeDiscount.usageLimit", "GREATER_THAN"],
      ["basicCodeDiscount.context.customers.add.1", "INVALID"],
      ["basicCodeDiscount.context.customers.add.2", "INVALID"],
    ]);
    expect(discount).toMatchObject({ title: "Sorry for the delay", usageLimit: 5, customerIds: [fx.customers.ada.id] });

    const last = await update({ context: { customers: { remove: [customer(fx.customers.ada.id)] } } });
    expect(last.body.data?.discountCodeBasicUpdate.userErrors).toEqual([
      { field: ["basicCodeDiscount", "context", "customers"], code: "BLANK", message: "Customers can't be blank" },
    ]);
    expect(discount.customerIds).toEqual([fx.customers.ada.id]);
  });

  test("context.all opens the discount to everyone", async () => {
    const res = await update({ context: { all: "ALL" } });
    expect(res.body.data?.discountCodeBasicUpdate.codeDiscountNode?.codeDiscount.context).toEqual({ all: "ALL" });
  });

  test("other inputs are refused loudly; the mutation costs 10", async () => {
    for (const input of [
      { code: "NEW" },
      { customerGets: { value: { percentage: 0.2 } } },
      { context: { customerSegments: { add: ["gid://shopify/Segment/1"] } } },
    ]) {
      const res = await update(input);
      expect(res.body.errors, JSON.stringify(input)).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: "SANDBOX_NOT_MODELLED" }) }),
      ]);
    }
    const ok = await update({ title: "Fine" });
    expect(ok.body.extensions?.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
  });
});

describe("redeeming after discountCodeBasicUpdate and discountRedeemCodeBulkAdd", () => {
  async function refusal(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof SandboxError) return error.code;
      throw error;
    }
    throw new Error("expected the checkout to be refused");
  }

  test("a customer added to the context redeems any code of the discount, once; others cannot; the usage limit spans all codes", async () => {
    const created = await adminRequest<{ discountCodeBasicCreate: { codeDiscountNode: { id: string } } }>(
      `mutation($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } userErrors { code } } }`,
      {
        input: {
          title: "Group apology",
          code: "GROUP-ADA",
          startsAt: "2026-11-02T00:00:00Z",
          usageLimit: 2,
          appliesOncePerCustomer: true,
          customerGets: { value: { percentage: 0.5 }, items: { all: true } },
          context: { customers: { add: [gid("Customer", fx.customers.ada.id)] } },
        },
      },
    );
    const discountId = created.body.data!.discountCodeBasicCreate.codeDiscountNode.id;
    const bulk = await adminRequest<{
      discountRedeemCodeBulkAdd: { bulkCreation: { id: string }; userErrors: UserErrors };
    }>(
      `mutation($id: ID!, $codes: [DiscountRedeemCodeInput!]!) { discountRedeemCodeBulkAdd(discountId: $id, codes: $codes) { bulkCreation { id } userErrors { field code message } } }`,
      { id: discountId, codes: [{ code: "GROUP-BOB" }, { code: "GROUP-CY" }] },
    );
    expect(bulk.body.data?.discountRedeemCodeBulkAdd.userErrors).toEqual([]);
    fx.clock.advance(api.timing.bulkCodeAddMs!);
    const done = await adminRequest(
      `query($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { done importedCount } }`,
      { id: bulk.body.data!.discountRedeemCodeBulkAdd.bulkCreation.id },
    );
    expect(done.body.data).toEqual({ discountRedeemCodeBulkCreation: { done: true, importedCount: 2 } });

    const mug = fx.products.mug.variants[0]!.id;
    const checkout = (customerId: string, discountCode: string) =>
      activity.placeOrder(FIXTURE_SHOP, { customerId, lines: [{ variantId: mug, quantity: 1 }], discountCode });
    const cy = activity.createCustomer(FIXTURE_SHOP, { firstName: "Cy", lastName: "Young", email: "cy@example.com" });

    expect(await refusal(checkout(fx.customers.bob.id, "GROUP-BOB"))).toBe("DISCOUNT_CUSTOMER_NOT_ELIGIBLE");
    const added = await adminRequest(
      `mutation($id: ID!, $ids: [ID!]!) { discountCodeBasicUpdate(id: $id, basicCodeDiscount: { context: { customers: { add: $ids } } }) { userErrors { code } } }`,
      { id: discountId, ids: [gid("Customer", fx.customers.bob.id), gid("Customer", cy.id)] },
    );
    expect(added.body.data).toEqual({ discountCodeBasicUpdate: { userErrors: [] } });

    const order = await checkout(fx.customers.bob.id, "group-bob");
    expect(order).toMatchObject({ totalDiscounts: "6.00", discountCodes: ["GROUP-BOB"] });
    // Once per customer means once per discount: another of its codes is refused too.
    expect(await refusal(checkout(fx.customers.bob.id, "GROUP-CY"))).toBe("DISCOUNT_ALREADY_USED_BY_CUSTOMER");
    await checkout(fx.customers.ada.id, "GROUP-ADA");
    // The usage limit (2) counts uses of every code of the discount.
    expect(await refusal(checkout(cy.id, "GROUP-CY"))).toBe("DISCOUNT_USAGE_LIMIT_REACHED");
    const usage = await adminRequest(
      `query($id: ID!) { codeDiscountNode(id: $id) { codeDiscount { ... on DiscountCodeBasic { asyncUsageCount } } } }`,
      { id: discountId },
    );
    expect(usage.body.data).toEqual({ codeDiscountNode: { codeDiscount: { asyncUsageCount: 2 } } });
  });
});

describe("the app's operations", () => {
  test("AmendsGiftCardsForReconcile, AmendsDraftOrdersByTag and AmendsDiscountCustomersAdd answer in their data schemas", async () => {
    const ada = gid("Customer", fx.customers.ada.id);
    const card = giftCard("reconcile0000042", "25.00", ago(HOUR), { note: "offer_9", expiresOn: "2027-11-02" });
    giftCard("beforetheattempt", "25.00", ago(DAY));
    const cards = await adminRequest(
      giftCardsForReconcile.document,
      giftCardsForReconcile.variables.parse({ customerId: ada, since: ago(2 * HOUR) }),
    );
    expect(cards.body.errors).toBeUndefined();
    expect(giftCardsForReconcile.data.parse(cards.body.data)).toEqual({
      giftCards: {
        nodes: [
          {
            id: gid("GiftCard", card.id),
            lastCharacters: "0042",
            initialValue: expect.objectContaining({ currencyCode: "USD" }),
            createdAt: ago(HOUR),
            expiresOn: "2027-11-02",
            note: "offer_9",
            enabled: true,
            customer: { id: ada },
          },
        ],
      },
    });

    const gift = draft(["amends-offer-off_9"], ago(HOUR), { status: "COMPLETED", orderId: fx.orders.unfulfilled.id });
    draft(["amends-offer-off_90"], ago(HOUR));
    const drafts = await adminRequest(
      draftOrdersByTag.document,
      draftOrdersByTag.variables.parse({ tag: "amends-offer-off_9" }),
    );
    expect(drafts.body.errors).toBeUndefined();
    expect(draftOrdersByTag.data.parse(drafts.body.data)).toEqual({
      draftOrders: {
        nodes: [
          {
            id: gid("DraftOrder", gift.id),
            name: gift.name,
            status: "COMPLETED",
            tags: ["amends-offer-off_9"],
            order: { id: gid("Order", fx.orders.unfulfilled.id), name: fx.orders.unfulfilled.name },
          },
        ],
      },
    });

    const discount = activity.createDiscount(FIXTURE_SHOP, {
      code: "PARENT",
      value: { percentage: 0.1 },
      customerIds: [fx.customers.ada.id],
    });
    const variables = discountCustomersAdd.variables.parse({
      id: gid("DiscountCodeNode", discount.id),
      customerIds: [gid("Customer", fx.customers.bob.id)],
    });
    const added = await adminRequest(discountCustomersAdd.document, variables);
    expect(added.body.errors).toBeUndefined();
    expect(discountCustomersAdd.data.parse(added.body.data)).toEqual({
      discountCodeBasicUpdate: { codeDiscountNode: { id: gid("DiscountCodeNode", discount.id) }, userErrors: [] },
    });
    expect(discount.customerIds).toEqual([fx.customers.ada.id, fx.customers.bob.id]);
    expect(api.calls.map((c) => [c.rootFields, c.outcome])).toEqual([
      [["giftCards"], "ok"],
      [["draftOrders"], "ok"],
      [["discountCodeBasicUpdate"], "ok"],
    ]);
  });
});
