/**
 * placeOrder: pricing, order names, customer totals, the fulfillment order,
 * and redeeming a discount code, store credit or a gift card the way a real
 * checkout accepts or refuses them.
 */
import { describe, expect, test } from "vitest";
import { createStoreKit, SandboxError, storeCreditAccountOf, storeCreditBalance } from "../../sandbox/activity";
import { DAY } from "../../sandbox/clock";

const SHOP = "checkout.myshopify.com";

function shopWithCatalogue() {
  const kit = createStoreKit({ shops: [SHOP, "other.myshopify.com"] });
  const { activity } = kit;
  const product = activity.createProduct(SHOP, {
    title: "Tee",
    variants: [
      { title: "S", price: "20.00" },
      { title: "M", price: "30.00" },
    ],
  });
  const [small, medium] = product.variants;
  if (!small || !medium) throw new Error("variants missing");
  const ada = activity.createCustomer(SHOP, { firstName: "Ada", lastName: "L", email: "ada@example.com" });
  const bob = activity.createCustomer(SHOP, {
    firstName: "Bob",
    lastName: "B",
    email: "bob@example.com",
    amountSpent: "100.00",
    numberOfOrders: 2,
  });
  return { ...kit, small, medium, ada, bob };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SandboxError) return error.code;
    throw error;
  }
  throw new Error("expected the checkout to be refused");
}

describe("placing an order", () => {
  test("prices the lines, names orders #1001, #1002 per shop, updates the customer, and sends orders/create", async () => {
    const { activity, store, sender, small, medium, bob, clock } = shopWithCatalogue();
    const order = await activity.placeOrder(SHOP, {
      customerId: bob.id,
      lines: [
        { variantId: small.id, quantity: 2 },
        { variantId: medium.id, quantity: 1 },
      ],
      shippingPrice: "6.95",
    });
    const second = await activity.placeOrder(SHOP, {
      customerId: bob.id,
      lines: [{ variantId: small.id, quantity: 1 }],
    });

    expect(order).toMatchObject({
      name: "#1001",
      number: 1001,
      subtotal: "70.00",
      totalDiscounts: "0.00",
      shippingPrice: "6.95",
      total: "76.95",
      financialStatus: "paid",
      createdAt: clock.now(),
    });
    expect(second.name).toBe("#1002");
    expect(store.shop(SHOP).customers.get(bob.id)).toMatchObject({ numberOfOrders: 4, amountSpent: "196.95" });
    expect(order.fulfillmentOrders).toEqual([
      expect.objectContaining({
        status: "OPEN",
        fulfillBy: null,
        holds: [],
        remaining: Object.fromEntries(order.lineItems.map((l) => [l.id, l.quantity])),
      }),
    ]);
    expect(order.lineItems.map((l) => [l.title, l.quantity, l.price, l.fulfillableQuantity])).toEqual([
      ["Tee", 2, "20.00", 2],
      ["Tee", 1, "30.00", 1],
    ]);
    expect(sender.log.map((r) => r.topic)).toEqual(["orders/create", "orders/create"]);

    // Another shop numbers its own orders.
    const p = activity.createProduct("other.myshopify.com", { title: "Cap", variants: [{ price: "9.00" }] });
    const elsewhere = await activity.placeOrder("other.myshopify.com", {
      guest: true,
      lines: [{ variantId: p.variants[0]?.id ?? "", quantity: 1 }],
    });
    expect(elsewhere.name).toBe("#1001");
  });

  test("a guest checkout has no customer; a backdated order keeps its date; fulfillBy is kept when given", async () => {
    const { activity, small, clock } = shopWithCatalogue();
    const createdAt = new Date(clock.now().getTime() - 3 * DAY);
    const fulfillBy = new Date(clock.now().getTime() - DAY);
    const order = await activity.placeOrder(SHOP, {
      guest: { email: "g@example.com" },
      lines: [{ variantId: small.id, quantity: 1 }],
      createdAt,
      fulfillBy,
    });
    expect(order).toMatchObject({ customerId: null, email: "g@example.com", createdAt, processedAt: createdAt });
    expect(order.fulfillmentOrders[0]?.fulfillBy).toEqual(fulfillBy);
  });

  test("refuses unknown variants, bad quantities and orders that are neither a customer's nor a guest's", async () => {
    const { activity, small, ada } = shopWithCatalogue();
    expect(
      await refusal(activity.placeOrder(SHOP, { customerId: ada.id, lines: [{ variantId: "999", quantity: 1 }] })),
    ).toBe("UNKNOWN_VARIANT");
    expect(
      await refusal(activity.placeOrder(SHOP, { customerId: ada.id, lines: [{ variantId: small.id, quantity: 0 }] })),
    ).toBe("INVALID_INPUT");
    expect(await refusal(activity.placeOrder(SHOP, { lines: [{ variantId: small.id, quantity: 1 }] }))).toBe(
      "INVALID_INPUT",
    );
    expect(
      await refusal(activity.placeOrder(SHOP, { customerId: "42", lines: [{ variantId: small.id, quantity: 1 }] })),
    ).toBe("UNKNOWN_CUSTOMER");
  });
});

describe("redeeming a discount code", () => {
  test("a percentage code is spread over the lines, counted once, and matched case-insensitively", async () => {
    const { activity, store, small, medium, ada } = shopWithCatalogue();
    const discount = activity.createDiscount(SHOP, {
      code: "SORRY15",
      value: { percentage: 0.15 },
      customerIds: [ada.id],
    });
    const order = await activity.placeOrder(SHOP, {
      customerId: ada.id,
      lines: [
        { variantId: small.id, quantity: 1 },
        { variantId: medium.id, quantity: 1 },
      ],
      discountCode: "sorry15",
    });

    expect(order).toMatchObject({
      subtotal: "42.50",
      totalDiscounts: "7.50",
      total: "42.50",
      discountCodes: ["SORRY15"],
    });
    expect(order.lineItems.map((l) => l.discount)).toEqual(["3.00", "4.50"]);
    expect(discount.codes[0]?.usageCount).toBe(1);
    expect(store.shop(SHOP).customers.get(ada.id)?.amountSpent).toBe("42.50");
  });

  test("a fixed amount comes off the order once, or off each item, never below zero", async () => {
    const { activity, small, ada } = shopWithCatalogue();
    activity.createDiscount(SHOP, { code: "TENOFF", value: { amount: "10.00" } });
    activity.createDiscount(SHOP, { code: "FIVEEACH", value: { amount: "5.00", appliesOnEachItem: true } });
    activity.createDiscount(SHOP, { code: "HUGE", value: { amount: "500.00" } });
    const once = await activity.placeOrder(SHOP, {
      customerId: ada.id,
      lines: [{ variantId: small.id, quantity: 3 }],
      discountCode: "TENOFF",
    });
    const each = await activity.placeOrder(SHOP, {
      customerId: ada.id,
      lines: [{ variantId: small.id, quantity: 3 }],
      discountCode: "FIVEEACH",
    });
    const capped = await activity.placeOrder(SHOP, {
      customerId: ada.id,
      lines: [{ variantId: small.id, quantity: 1 }],
      discountCode: "HUGE",
      shippingPrice: "5.00",
    });
    expect([once.total, each.total, capped.total]).toEqual(["50.00", "45.00", "5.00"]);
  });

  test("refuses a code that does not exist, has not started, has ended, belongs to someone else, or is used up", async () => {
    const { activity, small, ada, bob, clock } = shopWithCatalogue();
    const now = clock.now().getTime();
    activity.createDiscount(SHOP, { code: "LATER", value: { percentage: 0.1 }, startsAt: new Date(now + DAY) });
    activity.createDiscount(SHOP, {
      code: "OVER",
      value: { percentage: 0.1 },
      startsAt: new Date(now - 10 * DAY),
      endsAt: new Date(now - DAY),
    });
    activity.createDiscount(SHOP, { code: "ADAONLY", value: { percentage: 0.1 }, customerIds: [ada.id] });
    activity.createDiscount(SHOP, { code: "ONCE", value: { percentage: 0.1 }, usageLimit: 1 });
    activity.createDiscount(SHOP, { code: "PERCUSTOMER", value: { percentage: 0.1 }, appliesOncePerCustomer: true });
    const line = [{ variantId: small.id, quantity: 1 }];
    const tryCode = (code: string, customerId = ada.id) =>
      refusal(activity.placeOrder(SHOP, { customerId, lines: line, discountCode: code }));

    expect(await tryCode("NOPE")).toBe("DISCOUNT_NOT_FOUND");
    expect(await tryCode("LATER")).toBe("DISCOUNT_NOT_ACTIVE");
    expect(await tryCode("OVER")).toBe("DISCOUNT_EXPIRED");
    expect(await tryCode("ADAONLY", bob.id)).toBe("DISCOUNT_CUSTOMER_NOT_ELIGIBLE");
    expect(await refusal(activity.placeOrder(SHOP, { guest: true, lines: line, discountCode: "ADAONLY" }))).toBe(
      "DISCOUNT_CUSTOMER_NOT_ELIGIBLE",
    );
    await activity.placeOrder(SHOP, { customerId: bob.id, lines: line, discountCode: "ONCE" });
    expect(await tryCode("ONCE")).toBe("DISCOUNT_USAGE_LIMIT_REACHED");
    await activity.placeOrder(SHOP, { customerId: ada.id, lines: line, discountCode: "PERCUSTOMER" });
    expect(await tryCode("PERCUSTOMER")).toBe("DISCOUNT_ALREADY_USED_BY_CUSTOMER");
    await activity.placeOrder(SHOP, { customerId: bob.id, lines: line, discountCode: "PERCUSTOMER" });
  });

  test("a refused checkout leaves no trace: no order, no usage, no webhook, the number not taken", async () => {
    const { activity, store, sender, small, bob } = shopWithCatalogue();
    const discount = activity.createDiscount(SHOP, { code: "ONCE", value: { percentage: 0.1 }, usageLimit: 0 });
    await refusal(
      activity.placeOrder(SHOP, {
        customerId: bob.id,
        lines: [{ variantId: small.id, quantity: 1 }],
        discountCode: "ONCE",
      }),
    );
    expect(store.shop(SHOP).orders.size).toBe(0);
    expect(discount.codes[0]?.usageCount).toBe(0);
    expect(sender.log).toHaveLength(0);
    expect(store.shop(SHOP).customers.get(bob.id)).toMatchObject({ numberOfOrders: 2, amountSpent: "100.00" });
    expect(
      (await activity.placeOrder(SHOP, { customerId: bob.id, lines: [{ variantId: small.id, quantity: 1 }] })).name,
    ).toBe("#1001");
  });
});

describe("spending store credit", () => {
  test("spends the soonest-expiring credit first (no expiry last), records a debit, and skips lapsed credit", async () => {
    const { activity, store, small, medium, ada, clock } = shopWithCatalogue();
    const now = clock.now().getTime();
    const lapsed = activity.issueStoreCredit(SHOP, ada.id, "50.00", {
      expiresAt: new Date(now - DAY),
      at: new Date(now - 30 * DAY),
    });
    const forever = activity.issueStoreCredit(SHOP, ada.id, "10.00");
    const later = activity.issueStoreCredit(SHOP, ada.id, "15.00", { expiresAt: new Date(now + 60 * DAY) });
    const sooner = activity.issueStoreCredit(SHOP, ada.id, "20.00", { expiresAt: new Date(now + 10 * DAY) });
    const account = storeCreditAccountOf(store.shop(SHOP), ada.id);
    expect(account && storeCreditBalance(account, clock.now())).toBe("45.00");

    const order = await activity.placeOrder(SHOP, {
      customerId: ada.id,
      lines: [
        { variantId: small.id, quantity: 1 },
        { variantId: medium.id, quantity: 1 },
      ],
      storeCredit: true,
    });

    expect(order).toMatchObject({ total: "50.00", storeCreditUsed: "45.00" });
    expect([sooner.remaining, later.remaining, forever.remaining, lapsed.remaining]).toEqual([
      "0.00",
      "0.00",
      "0.00",
      "0.00",
    ]);
    const kinds = account?.transactions.map((t) => [t.kind, t.amount]);
    expect(kinds).toEqual([
      ["credit", "50.00"],
      ["credit", "10.00"],
      ["credit", "15.00"],
      ["credit", "20.00"],
      ["expiration", "-50.00"],
      ["debit", "-45.00"],
    ]);
    expect(account?.transactions.at(-1)).toMatchObject({ orderId: order.id, createdAt: clock.now() });
    // The rest went on the card, and the customer's lifetime spend counts the whole order.
    expect(store.shop(SHOP).customers.get(ada.id)?.amountSpent).toBe("50.00");
  });

  test("an amount spends at most that much; guests and customers without credit are refused", async () => {
    const { activity, store, small, ada, bob } = shopWithCatalogue();
    const credit = activity.issueStoreCredit(SHOP, ada.id, "100.00");
    const order = await activity.placeOrder(SHOP, {
      customerId: ada.id,
      lines: [{ variantId: small.id, quantity: 1 }],
      storeCredit: "5.50",
    });
    expect(order.storeCreditUsed).toBe("5.50");
    expect(credit.remaining).toBe("94.50");
    expect(storeCreditAccountOf(store.shop(SHOP), ada.id)?.transactions.at(-1)?.amount).toBe("-5.50");
    expect(
      await refusal(
        activity.placeOrder(SHOP, {
          customerId: bob.id,
          lines: [{ variantId: small.id, quantity: 1 }],
          storeCredit: true,
        }),
      ),
    ).toBe("STORE_CREDIT_UNAVAILABLE");
    expect(
      await refusal(
        activity.placeOrder(SHOP, { guest: true, lines: [{ variantId: small.id, quantity: 1 }], storeCredit: true }),
      ),
    ).toBe("STORE_CREDIT_UNAVAILABLE");
  });
});

describe("paying with a gift card", () => {
  test("reduces the balance by what the order needs, and refuses disabled, expired or empty cards", async () => {
    const { activity, small, ada, clock } = shopWithCatalogue();
    const card = activity.createGiftCard(SHOP, { code: "GIFT-1234-ABCD", initialValue: "25.00", customerId: ada.id });
    const order = await activity.placeOrder(SHOP, {
      customerId: ada.id,
      lines: [{ variantId: small.id, quantity: 2 }],
      giftCardCode: "gift-1234-abcd",
    });
    expect(order.giftCardIdsUsed).toEqual([card.id]);
    expect(card.balance).toBe("0.00");
    expect(order.total).toBe("40.00");

    const line = [{ variantId: small.id, quantity: 1 }];
    expect(
      await refusal(activity.placeOrder(SHOP, { customerId: ada.id, lines: line, giftCardCode: "GIFT-1234-ABCD" })),
    ).toBe("GIFT_CARD_EMPTY");
    expect(await refusal(activity.placeOrder(SHOP, { customerId: ada.id, lines: line, giftCardCode: "NOPE" }))).toBe(
      "GIFT_CARD_NOT_FOUND",
    );
    const disabled = activity.createGiftCard(SHOP, { code: "OFF", initialValue: "5.00" });
    disabled.enabled = false;
    expect(await refusal(activity.placeOrder(SHOP, { customerId: ada.id, lines: line, giftCardCode: "OFF" }))).toBe(
      "GIFT_CARD_DISABLED",
    );
    const yesterday = new Date(clock.now().getTime() - DAY).toISOString().slice(0, 10);
    activity.createGiftCard(SHOP, { code: "OLD", initialValue: "5.00", expiresOn: yesterday });
    expect(await refusal(activity.placeOrder(SHOP, { customerId: ada.id, lines: line, giftCardCode: "OLD" }))).toBe(
      "GIFT_CARD_EXPIRED",
    );
  });
});
