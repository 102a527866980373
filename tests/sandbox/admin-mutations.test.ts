/** The mutations Amends issues: their effects on the store and their userErrors. */
import { beforeEach, describe, expect, test } from "vitest";
import { createAdminApi, type AdminApi } from "../../sandbox/admin";
import { adminRequest, buildFixture, FIXTURE_SHOP, type Fixture } from "../../sandbox/admin/test-fixtures";
import type { Order, ShopState } from "../../sandbox/store";
import { mswServer } from "../helpers/msw";
import { appTomlScopes } from "../helpers/app-scopes";

let fx: Fixture;
let api: AdminApi;
let created: Array<{ shop: ShopState; order: Order }>;

beforeEach(() => {
  fx = buildFixture();
  created = [];
  api = createAdminApi(fx.store, {
    scopes: appTomlScopes(),
    onOrderCreated: (shop, order) => void created.push({ shop, order }),
  });
  mswServer.use(...api.handlers);
});

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
type UserErrors = Array<{ field: string[] | null; code?: string | null; message: string }>;

describe("discountCodeBasicCreate and codes", () => {
  const CREATE = `mutation AmendsDiscount($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status startsAt endsAt usageLimit appliesOncePerCustomer asyncUsageCount
        codes(first: 5) { nodes { code asyncUsageCount } }
        customerGets { value { ... on DiscountPercentage { percentage } ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem } } items { ... on AllDiscountItems { allItems } } }
        context { ... on DiscountCustomers { customers { id } } ... on DiscountBuyerSelectionAll { all } } } } }
      userErrors { field code message }
    }
  }`;
  const input = (over: Record<string, unknown> = {}) => ({
    title: "Sorry for the delay",
    code: "AMENDS-ADA-15",
    startsAt: "2026-11-02T00:00:00Z",
    endsAt: "2026-12-02T00:00:00Z",
    usageLimit: 1,
    appliesOncePerCustomer: true,
    customerGets: { value: { percentage: 0.15 }, items: { all: true } },
    context: { customers: { add: [gid("Customer", fx.customers.ada.id)] } },
    ...over,
  });
  type Created = { discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserErrors } };

  test("creates a discount limited to one customer, findable by code in any letter case", async () => {
    const res = await adminRequest<Created>(CREATE, { input: input() });
    expect(res.body.errors).toBeUndefined();
    const node = res.body.data!.discountCodeBasicCreate.codeDiscountNode!;
    expect(res.body.data).toEqual({
      discountCodeBasicCreate: {
        codeDiscountNode: {
          id: expect.stringMatching(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/),
          codeDiscount: {
            title: "Sorry for the delay",
            status: "ACTIVE",
            startsAt: "2026-11-02T00:00:00Z",
            endsAt: "2026-12-02T00:00:00Z",
            usageLimit: 1,
            appliesOncePerCustomer: true,
            asyncUsageCount: 0,
            codes: { nodes: [{ code: "AMENDS-ADA-15", asyncUsageCount: 0 }] },
            customerGets: { value: { percentage: 0.15 }, items: { allItems: true } },
            context: { customers: [{ id: gid("Customer", fx.customers.ada.id) }] },
          },
        },
        userErrors: [],
      },
    });
    const byCode = await adminRequest(
      `{ codeDiscountNodeByCode(code: "amends-ada-15") { id codeDiscount { ... on DiscountCodeBasic { title } } } }`,
    );
    expect(byCode.body.data).toEqual({
      codeDiscountNodeByCode: { id: node.id, codeDiscount: { title: "Sorry for the delay" } },
    });
    const byId = await adminRequest(`query($id: ID!) { codeDiscountNode(id: $id) { id } }`, { id: node.id });
    expect(byId.body.data).toEqual({ codeDiscountNode: { id: node.id } });
  });

  test("userErrors: duplicate code, end before start, percentage out of range, missing title", async () => {
    await adminRequest(CREATE, { input: input() });
    const duplicate = await adminRequest<Created>(CREATE, { input: input({ code: "amends-ada-15" }) });
    expect(duplicate.body.data?.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [
        {
          field: ["basicCodeDiscount", "code"],
          code: "TAKEN",
          message: "Code must be unique. Please try a different code.",
        },
      ],
    });
    const bad = await adminRequest<Created>(CREATE, {
      input: input({
        code: "OTHER",
        title: "",
        endsAt: "2026-10-01T00:00:00Z",
        customerGets: { value: { percentage: 15 }, items: { all: true } },
      }),
    });
    expect(bad.body.data?.discountCodeBasicCreate.userErrors.map((e) => [e.field?.join("."), e.code])).toEqual([
      ["basicCodeDiscount.title", "BLANK"],
      ["basicCodeDiscount.endsAt", "END_DATE_BEFORE_START_DATE"],
      ["basicCodeDiscount.customerGets.value.percentage", "VALUE_OUTSIDE_RANGE"],
    ]);
    expect(fx.shop.discounts.size).toBe(1);
  });

  test("a fixed amount and an unknown customer", async () => {
    const res = await adminRequest<Created>(CREATE, {
      input: input({
        code: "TEN-OFF",
        customerGets: {
          value: { discountAmount: { amount: "10.00", appliesOnEachItem: false } },
          items: { all: true },
        },
        context: { customers: { add: [gid("Customer", "999")] } },
      }),
    });
    expect(res.body.data?.discountCodeBasicCreate.userErrors).toEqual([
      {
        field: ["basicCodeDiscount", "context", "customers", "add", "0"],
        code: "INVALID",
        message: "Customer does not exist",
      },
    ]);
    const ok = await adminRequest(CREATE, {
      input: input({
        code: "TEN-OFF",
        customerGets: {
          value: { discountAmount: { amount: "10.00", appliesOnEachItem: false } },
          items: { all: true },
        },
        context: { all: "ALL" },
      }),
    });
    expect(ok.body.data).toMatchObject({
      discountCodeBasicCreate: {
        codeDiscountNode: {
          codeDiscount: {
            customerGets: { value: { amount: { amount: "10.0", currencyCode: "USD" }, appliesOnEachItem: false } },
            context: { all: "ALL" },
          },
        },
      },
    });
  });

  test("discountRedeemCodeBulkAdd adds codes to one discount; a taken code fails alone; the job reports done on a later read", async () => {
    const first = await adminRequest<Created>(CREATE, { input: input() });
    const discountId = first.body.data!.discountCodeBasicCreate.codeDiscountNode!.id;
    const res = await adminRequest<{
      discountRedeemCodeBulkAdd: {
        bulkCreation: { id: string; done: boolean; codesCount: number; importedCount: number; failedCount: number };
        userErrors: UserErrors;
      };
    }>(
      `mutation($id: ID!, $codes: [DiscountRedeemCodeInput!]!) { discountRedeemCodeBulkAdd(discountId: $id, codes: $codes) { bulkCreation { id done codesCount importedCount failedCount } userErrors { field code message } } }`,
      { id: discountId, codes: [{ code: "AMENDS-BOB-15" }, { code: "amends-ada-15" }, { code: "AMENDS-CY-15" }] },
    );
    const bulk = res.body.data!.discountRedeemCodeBulkAdd;
    expect(bulk).toEqual({
      bulkCreation: { id: expect.any(String), done: false, codesCount: 3, importedCount: 0, failedCount: 0 },
      userErrors: [],
    });
    fx.clock.advance(api.timing.bulkCodeAddMs!);
    const later = await adminRequest(
      `query($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { done importedCount failedCount codes(first: 5) { nodes { code errors { code message } discountRedeemCode { code } } } } }`,
      {
        id: bulk.bulkCreation.id,
      },
    );
    expect(later.body.data).toEqual({
      discountRedeemCodeBulkCreation: {
        done: true,
        importedCount: 2,
        failedCount: 1,
        codes: {
          nodes: [
            { code: "AMENDS-BOB-15", errors: [], discountRedeemCode: { code: "AMENDS-BOB-15" } },
            {
              code: "amends-ada-15",
              errors: [{ code: "TAKEN", message: "Code must be unique. Please try a different code." }],
              discountRedeemCode: null,
            },
            { code: "AMENDS-CY-15", errors: [], discountRedeemCode: { code: "AMENDS-CY-15" } },
          ],
        },
      },
    });
    expect((await adminRequest(`{ codeDiscountNodeByCode(code: "AMENDS-CY-15") { id } }`)).body.data).toEqual({
      codeDiscountNodeByCode: { id: discountId },
    });
  });
});

describe("storeCreditAccountCredit", () => {
  const CREDIT = `mutation AmendsCredit($id: ID!, $input: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $input) {
      storeCreditAccountTransaction { id amount { amount currencyCode } balanceAfterTransaction { amount } createdAt expiresAt account { id balance { amount currencyCode } } }
      userErrors { field code message }
    }
  }`;
  type Credit = {
    storeCreditAccountCredit: {
      storeCreditAccountTransaction: { id: string; account: { id: string } } | null;
      userErrors: UserErrors;
    };
  };
  const credit = (id: string, amount: string, over: Record<string, unknown> = {}) =>
    adminRequest<Credit>(CREDIT, { id, input: { creditAmount: { amount, currencyCode: "USD" }, ...over } });

  test("the first credit opens an account in the shop currency; notify records a notification", async () => {
    const ada = gid("Customer", fx.customers.ada.id);
    const first = await credit(ada, "15", { expiresAt: "2027-01-01T00:00:00Z", notify: true });
    expect(first.body.data).toEqual({
      storeCreditAccountCredit: {
        storeCreditAccountTransaction: {
          id: expect.stringMatching(/^gid:\/\/shopify\/StoreCreditAccountCreditTransaction\/\d+$/),
          amount: { amount: "15.0", currencyCode: "USD" },
          balanceAfterTransaction: { amount: "15.0" },
          createdAt: "2026-11-02T15:00:00Z",
          expiresAt: "2027-01-01T00:00:00Z",
          account: {
            id: expect.stringMatching(/^gid:\/\/shopify\/StoreCreditAccount\/\d+$/),
            balance: { amount: "15.0", currencyCode: "USD" },
          },
        },
        userErrors: [],
      },
    });
    const accountId = first.body.data!.storeCreditAccountCredit.storeCreditAccountTransaction!.account.id;
    const second = await credit(accountId, "5.5");
    expect(second.body.data?.storeCreditAccountCredit.storeCreditAccountTransaction).toMatchObject({
      balanceAfterTransaction: { amount: "20.5" },
      account: { id: accountId },
    });
    expect(fx.shop.storeCreditAccounts.size).toBe(1);
    expect(fx.shop.notifications).toEqual([
      { kind: "STORE_CREDIT", customerId: fx.customers.ada.id, resourceId: expect.any(String), sentAt: fx.clock.now() },
    ]);

    const read = await adminRequest(
      `query($id: ID!) { storeCreditAccount(id: $id) { balance { amount } owner { ... on Customer { id } } transactions(first: 5) { nodes { __typename amount { amount } balanceAfterTransaction { amount } } } } }`,
      { id: accountId },
    );
    expect(read.body.data).toEqual({
      storeCreditAccount: {
        balance: { amount: "20.5" },
        owner: { id: ada },
        transactions: {
          nodes: [
            {
              __typename: "StoreCreditAccountCreditTransaction",
              amount: { amount: "15.0" },
              balanceAfterTransaction: { amount: "15.0" },
            },
            {
              __typename: "StoreCreditAccountCreditTransaction",
              amount: { amount: "5.5" },
              balanceAfterTransaction: { amount: "20.5" },
            },
          ],
        },
      },
    });
  });

  test("userErrors with Shopify's codes", async () => {
    const bob = gid("Customer", fx.customers.bob.id);
    const codes = async (res: Promise<{ body: { data?: Credit | null } }>) =>
      (await res).body.data?.storeCreditAccountCredit.userErrors.map((e) => [e.field?.join("."), e.code]);
    expect(await codes(credit(bob, "0"))).toEqual([["creditInput.creditAmount.amount", "NEGATIVE_OR_ZERO_AMOUNT"]]);
    expect(await codes(credit(bob, "-3"))).toEqual([["creditInput.creditAmount.amount", "NEGATIVE_OR_ZERO_AMOUNT"]]);
    expect(await codes(credit(bob, "5", { expiresAt: "2026-11-01T00:00:00Z" }))).toEqual([
      ["creditInput.expiresAt", "EXPIRES_AT_IN_PAST"],
    ]);
    expect(
      await codes(
        adminRequest<Credit>(CREDIT, { id: bob, input: { creditAmount: { amount: "5", currencyCode: "EUR" } } }),
      ),
    ).toEqual([["creditInput.creditAmount.currencyCode", "UNSUPPORTED_CURRENCY"]]);
    expect(await codes(credit(gid("Customer", "999"), "5"))).toEqual([["id", "OWNER_NOT_FOUND"]]);
    expect(await codes(credit(gid("StoreCreditAccount", "999"), "5"))).toEqual([["id", "ACCOUNT_NOT_FOUND"]]);
    expect(fx.shop.storeCreditAccounts.size).toBe(0);
    const opened = await credit(bob, "5");
    const accountId = opened.body.data!.storeCreditAccountCredit.storeCreditAccountTransaction!.account.id;
    expect(
      await codes(
        adminRequest<Credit>(CREDIT, { id: accountId, input: { creditAmount: { amount: "5", currencyCode: "EUR" } } }),
      ),
    ).toEqual([["creditInput.creditAmount.currencyCode", "MISMATCHING_CURRENCY"]]);
    expect(fx.shop.notifications).toEqual([]);
  });
});

describe("gift cards", () => {
  const CREATE = `mutation AmendsGiftCard($input: GiftCardCreateInput!) {
    giftCardCreate(input: $input) { giftCard { id lastCharacters maskedCode initialValue { amount currencyCode } balance { amount } expiresOn customer { id } } giftCardCode userErrors { field code message } }
  }`;
  type Created = {
    giftCardCreate: {
      giftCard: { id: string; lastCharacters: string } | null;
      giftCardCode: string | null;
      userErrors: UserErrors;
    };
  };

  test("creates a card with a generated 16-character code, then sends it to the customer", async () => {
    const ada = gid("Customer", fx.customers.ada.id);
    const res = await adminRequest<Created>(CREATE, {
      input: {
        initialAmount: { amount: "25.00", currencyCode: "USD" },
        customerId: ada,
        expiresOn: "2027-11-02",
        note: "Amends",
      },
    });
    const payload = res.body.data!.giftCardCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.giftCardCode).toMatch(/^[a-z0-9]{16}$/);
    expect(payload.giftCard).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/GiftCard\/\d+$/),
      lastCharacters: payload.giftCardCode!.slice(-4),
      maskedCode: `•••• •••• •••• ${payload.giftCardCode!.slice(-4)}`,
      initialValue: { amount: "25.0", currencyCode: "USD" },
      balance: { amount: "25.0" },
      expiresOn: "2027-11-02",
      customer: { id: ada },
    });
    expect(fx.shop.notifications).toEqual([]);
    const sent = await adminRequest(
      `mutation($id: ID!) { giftCardSendNotificationToCustomer(id: $id) { giftCard { id } userErrors { field code message } } }`,
      { id: payload.giftCard!.id },
    );
    expect(sent.body.data).toEqual({
      giftCardSendNotificationToCustomer: { giftCard: { id: payload.giftCard!.id }, userErrors: [] },
    });
    expect(fx.shop.notifications).toEqual([
      { kind: "GIFT_CARD", customerId: fx.customers.ada.id, resourceId: expect.any(String), sentAt: fx.clock.now() },
    ]);
    const read = await adminRequest(
      `query($id: ID!) { giftCard(id: $id) { balance { amount } enabled isRedeemable } }`,
      { id: payload.giftCard!.id },
    );
    expect(read.body.data).toEqual({ giftCard: { balance: { amount: "25.0" }, enabled: true, isRedeemable: true } });
  });

  test("userErrors: amount, code rules, unknown customer; a card without a customer cannot be sent", async () => {
    const errors = async (input: Record<string, unknown>) =>
      (await adminRequest<Created>(CREATE, { input })).body.data?.giftCardCreate.userErrors.map((e) => [
        e.field?.join("."),
        e.code,
      ]);
    const usd = (amount: string) => ({ amount, currencyCode: "USD" });
    expect(await errors({ initialAmount: usd("0") })).toEqual([["input.initialAmount", "GREATER_THAN"]]);
    expect(await errors({ initialAmount: usd("5"), code: "short" })).toEqual([["input.code", "TOO_SHORT"]]);
    expect(await errors({ initialAmount: usd("5"), code: "has_underscore" })).toEqual([["input.code", "INVALID"]]);
    expect(await errors({ initialAmount: usd("5"), customerId: gid("Customer", "999") })).toEqual([
      ["input.customerId", "CUSTOMER_NOT_FOUND"],
    ]);
    expect(await errors({ initialAmount: usd("5"), code: "THANKYOU2026" })).toEqual([]);
    expect(await errors({ initialAmount: usd("5"), code: "thankyou2026" })).toEqual([["input.code", "TAKEN"]]);
    const anonymous = [...fx.shop.giftCards.values()][0]!;
    const sent = await adminRequest(
      `mutation($id: ID!) { giftCardSendNotificationToCustomer(id: $id) { giftCard { id } userErrors { field code } } }`,
      { id: gid("GiftCard", anonymous.id) },
    );
    expect(sent.body.data).toEqual({
      giftCardSendNotificationToCustomer: {
        giftCard: null,
        userErrors: [{ field: ["id"], code: "CUSTOMER_NOT_FOUND" }],
      },
    });
  });
});

describe("free gift: draftOrderCreate then draftOrderComplete", () => {
  const CREATE = `mutation AmendsGift($input: DraftOrderInput!) {
    draftOrderCreate(input: $input) { draftOrder { id name status totalPriceSet { shopMoney { amount } } subtotalPriceSet { shopMoney { amount } }
      lineItems(first: 5) { nodes { quantity variant { id } appliedDiscount { valueType value title } discountedTotalSet { shopMoney { amount } } } } }
      userErrors { field message } }
  }`;
  const COMPLETE = `mutation AmendsGiftComplete($id: ID!) { draftOrderComplete(id: $id, paymentPending: false) { draftOrder { id status order { id name } } userErrors { field message } } }`;
  const giftInput = () => ({
    purchasingEntity: { customerId: gid("Customer", fx.customers.ada.id) },
    lineItems: [
      {
        variantId: gid("ProductVariant", fx.products.mug.variants[0]!.id),
        quantity: 1,
        appliedDiscount: { valueType: "PERCENTAGE", value: 100, title: "Amends gift" },
      },
    ],
    shippingAddress: {
      firstName: "Ada",
      lastName: "Lovelace",
      address1: "1 Main St",
      city: "Springfield",
      zip: "12345",
      countryCode: "US",
      provinceCode: "NY",
    },
    shippingLine: { title: "Free shipping", priceWithCurrency: { amount: "0.00", currencyCode: "USD" } },
    note: "Sorry about order #1002",
    tags: ["amends-gift"],
  });
  type Draft = { draftOrderCreate: { draftOrder: { id: string } | null; userErrors: UserErrors } };
  type Complete = {
    draftOrderComplete: {
      draftOrder: { id: string; status: string; order: { id: string; name: string } | null } | null;
      userErrors: UserErrors;
    };
  };

  test("makes a real, free order with a fulfillment order, and counts it for the customer", async () => {
    const draft = await adminRequest<Draft>(CREATE, { input: giftInput() });
    expect(draft.body.data).toEqual({
      draftOrderCreate: {
        draftOrder: {
          id: expect.stringMatching(/^gid:\/\/shopify\/DraftOrder\/\d+$/),
          name: "#D1",
          status: "OPEN",
          totalPriceSet: { shopMoney: { amount: "0.0" } },
          subtotalPriceSet: { shopMoney: { amount: "0.0" } },
          lineItems: {
            nodes: [
              {
                quantity: 1,
                variant: { id: gid("ProductVariant", fx.products.mug.variants[0]!.id) },
                appliedDiscount: { valueType: "PERCENTAGE", value: 100, title: "Amends gift" },
                discountedTotalSet: { shopMoney: { amount: "0.0" } },
              },
            ],
          },
        },
        userErrors: [],
      },
    });
    const before = fx.customers.ada.numberOfOrders;
    const done = await adminRequest<Complete>(COMPLETE, { id: draft.body.data!.draftOrderCreate.draftOrder!.id });
    const completed = done.body.data!.draftOrderComplete;
    expect(completed.userErrors).toEqual([]);
    expect(completed.draftOrder).toMatchObject({
      status: "COMPLETED",
      order: { id: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/), name: "#1007" },
    });

    const order = [...fx.shop.orders.values()].find((o) => o.name === "#1007")!;
    expect(order).toMatchObject({
      sourceName: "shopify_draft_order",
      total: "0.00",
      subtotal: "0.00",
      totalDiscounts: "12.00",
      financialStatus: "paid",
      tags: ["amends-gift"],
      customerId: fx.customers.ada.id,
    });
    expect(order.draftOrderId).toBe(fx.shop.draftOrders.values().next().value?.id);
    expect(order.fulfillmentOrders).toEqual([
      expect.objectContaining({ status: "OPEN", remaining: { [order.lineItems[0]!.id]: 1 } }),
    ]);
    expect(fx.customers.ada.numberOfOrders).toBe(before + 1);
    expect(created.map((c) => c.order.id)).toEqual([order.id]);

    const read = await adminRequest(
      `query($id: ID!) { order(id: $id) { sourceName displayFulfillmentStatus totalPriceSet { shopMoney { amount } } lineItems(first: 1) { nodes { discountedTotalSet { shopMoney { amount } } } } } }`,
      { id: completed.draftOrder!.order!.id },
    );
    expect(read.body.data).toEqual({
      order: {
        sourceName: "shopify_draft_order",
        displayFulfillmentStatus: "UNFULFILLED",
        totalPriceSet: { shopMoney: { amount: "0.0" } },
        lineItems: { nodes: [{ discountedTotalSet: { shopMoney: { amount: "0.0" } } }] },
      },
    });

    const again = await adminRequest<Complete>(COMPLETE, { id: completed.draftOrder!.id });
    expect(again.body.data?.draftOrderComplete.userErrors).toEqual([
      { field: null, message: "This order has already been completed" },
    ]);
    expect(fx.shop.orders.size).toBe(7);
  });

  test("userErrors for unknown variants and quantities; custom lines are refused loudly", async () => {
    const input = giftInput();
    input.lineItems = [
      {
        variantId: gid("ProductVariant", "999"),
        quantity: 1,
        appliedDiscount: { valueType: "PERCENTAGE", value: 100, title: "x" },
      },
      {
        variantId: gid("ProductVariant", fx.products.mug.variants[0]!.id),
        quantity: 0,
        appliedDiscount: { valueType: "PERCENTAGE", value: 100, title: "x" },
      },
    ];
    const res = await adminRequest<Draft>(CREATE, { input });
    expect(res.body.data?.draftOrderCreate).toEqual({
      draftOrder: null,
      userErrors: [
        { field: ["lineItems", "0", "variantId"], message: "Product with ID 999 is no longer available." },
        { field: ["lineItems", "1", "quantity"], message: "Quantity must be greater than or equal to 1" },
      ],
    });
    const custom = await adminRequest(CREATE, {
      input: {
        ...giftInput(),
        lineItems: [
          { title: "Custom thing", quantity: 1, originalUnitPriceWithCurrency: { amount: "5", currencyCode: "USD" } },
        ],
      },
    });
    expect(custom.body.errors?.[0]?.message).toContain("does not model");
    expect(fx.shop.draftOrders.size).toBe(0);
  });
});

test("tagsAdd on orders and customers: list or comma string, no duplicates in any case", async () => {
  const orderId = gid("Order", fx.orders.unfulfilled.id);
  const TAGS = `mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;
  expect((await adminRequest(TAGS, { id: orderId, tags: ["amends", "late"] })).body.data).toEqual({
    tagsAdd: { node: { id: orderId }, userErrors: [] },
  });
  await adminRequest(TAGS, { id: orderId, tags: "Amends, compensated" });
  expect(fx.orders.unfulfilled.tags).toEqual(["amends", "late", "compensated"]);
  expect(fx.orders.unfulfilled.updatedAt).toEqual(fx.clock.now());
  await adminRequest(TAGS, { id: gid("Customer", fx.customers.bob.id), tags: ["amends-recovered"] });
  expect(fx.customers.bob.tags).toEqual(["amends-recovered"]);
  expect((await adminRequest(TAGS, { id: gid("Order", "999"), tags: ["x"] })).body.data).toEqual({
    tagsAdd: { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] },
  });
});

test("metafieldsSet: creates and updates, atomically, and the value reads back on its owner", async () => {
  const ownerId = gid("Order", fx.orders.delayed.id);
  const SET = `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id namespace key value type } userErrors { field code message elementIndex } } }`;
  const res = await adminRequest(SET, {
    m: [{ ownerId, namespace: "amends", key: "case", type: "json", value: '{"severity":"high"}' }],
  });
  expect(res.body.data).toEqual({
    metafieldsSet: {
      metafields: [
        {
          id: expect.stringMatching(/Metafield\/\d+$/),
          namespace: "amends",
          key: "case",
          value: '{"severity":"high"}',
          type: "json",
        },
      ],
      userErrors: [],
    },
  });
  const bad = await adminRequest(SET, {
    m: [
      { ownerId, namespace: "amends", key: "case", value: '{"severity":"low"}' },
      { ownerId, namespace: "amends", key: "count", type: "number_integer", value: "many" },
    ],
  });
  expect(bad.body.data).toEqual({
    metafieldsSet: {
      metafields: null,
      userErrors: [
        {
          field: ["metafields", "1", "value"],
          code: "INVALID_VALUE",
          message: "Value is invalid for type number_integer.",
          elementIndex: 1,
        },
      ],
    },
  });
  await adminRequest(SET, { m: [{ ownerId, namespace: "amends", key: "case", value: '{"severity":"low"}' }] });
  const read = await adminRequest(
    `query($id: ID!) { order(id: $id) { metafield(namespace: "amends", key: "case") { value jsonValue type } } }`,
    { id: ownerId },
  );
  expect(read.body.data).toEqual({
    order: { metafield: { value: '{"severity":"low"}', jsonValue: { severity: "low" }, type: "json" } },
  });
  expect(fx.shop.metafields).toHaveLength(1);
});

test("flowTriggerReceive records the trigger; payload must be an object under 50 KB, fit the trigger's fields, and the handle known", async () => {
  const FLOW = `mutation($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;
  const payload = {
    order_id: Number(fx.orders.delayed.id),
    customer_id: Number(fx.customers.ada.id),
    "Incident ID": "inc-1",
    "Incident type": "DELIVERY_DELAY",
    Severity: "major",
    Explanation: "3 days late",
    "Order name": "#1001",
    "Acknowledgement subject": "We're on it: your order #1001",
    Acknowledgement: "Hi there,\n\nA quick note to say we're on it.",
  };
  expect((await adminRequest(FLOW, { handle: "recovery-incident-detected", payload })).body.data).toEqual({
    flowTriggerReceive: { userErrors: [] },
  });
  expect(fx.shop.flowTriggers).toEqual([{ handle: "recovery-incident-detected", payload, receivedAt: fx.clock.now() }]);
  const errors = async (vars: Record<string, unknown>) =>
    (
      await adminRequest<{ flowTriggerReceive: { userErrors: UserErrors } }>(FLOW, vars)
    ).body.data?.flowTriggerReceive.userErrors.map((e) => e.message);
  expect(
    await errors({ handle: "recovery-incident-detected", payload: { ...payload, Explanation: "x".repeat(50_001) } }),
  ).toEqual(["Errors validating schema:\n  Properties size exceeds the limit of 50000 bytes.\n"]);
  expect(await errors({ handle: "recovery-incident-detected", payload: [1, 2] })).toEqual([
    "Errors validating schema:\n  Payload must be a JSON object.\n",
  ]);
  expect(await errors({ handle: "unknown-trigger", payload })).toEqual([
    "Errors validating schema:\n  Invalid handle 'unknown-trigger'.\n",
  ]);
  expect(fx.shop.flowTriggers).toHaveLength(1);
  expect(api.calls.filter((c) => c.rootFields.includes("flowTriggerReceive"))).toHaveLength(4);
  expect(api.calls.every((c) => c.shop === FIXTURE_SHOP)).toBe(true);
});
