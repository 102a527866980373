/**
 * The store activity of the loop benches (bench:loop, bench:scale, bench:loop's baseline) on the
 * sandbox process: a shop on the Standard plan's bucket with three products and one customer per
 * order (so per-customer limits never interfere), and the failure signal: an order placed,
 * fulfilled, then given a carrier `delayed` event (fulfillment_events/create).
 */
import type { SandboxControl } from "../sandbox-process";

/** Shop settings under which every offer is auto-approved: no holdout, cooldown, yearly cap or monthly budget; a high ceiling. */
export const AUTO_APPROVE_SETTINGS = {
  decision: {
    holdoutShare: 0,
    cooldownDays: 0,
    yearlyCapPerCustomerMinor: null,
    autoApproveCeilingMinor: 100_000_000,
    monthlyBudgetMinor: null,
  },
};

export const STANDARD_BUCKET = { maximumAvailable: 2_000, restoreRate: 100 };

export interface BenchShop {
  variants: string[];
  customers: string[];
}

export async function setUpShop(
  control: SandboxControl,
  shop: { domain: string; name: string; ianaTimezone?: string; currency?: string },
  orders: number,
  /** Makes customer e-mails unique across shops (and runs). */
  tag: { product: (p: number) => string; first: (c: number) => string; last: string; email: (c: number) => string },
): Promise<BenchShop> {
  await control.addShop({ ...shop, plan: "Basic" });
  await control.configureRateLimit(shop.domain, STANDARD_BUCKET);
  const variants: string[] = [];
  for (const p of [1, 2, 3]) {
    const product = await control.createProduct(shop.domain, {
      title: tag.product(p),
      variants: [{ price: `${20 + p * 15}.00` }],
    });
    const variant = product.variants[0];
    if (!variant) throw new Error("product without a variant");
    variants.push(variant.id);
  }
  const customers: string[] = [];
  for (let c = 0; c < orders; c++)
    customers.push(
      (await control.createCustomer(shop.domain, { firstName: tag.first(c), lastName: tag.last, email: tag.email(c) }))
        .id,
    );
  return { variants, customers };
}

/** Order `i` of a shop: placed, fulfilled, then a carrier `delayed` event. Returns the order's id. */
export async function placeFailureSignal(
  control: SandboxControl,
  shop: string,
  store: BenchShop,
  i: number,
  tracking: { prefix: string; message: string },
): Promise<string> {
  const order = await control.placeOrder(shop, {
    customerId: store.customers[i] ?? "",
    lines: [{ variantId: store.variants[i % store.variants.length] ?? "", quantity: 1 + (i % 2) }],
  });
  const fulfillment = await control.fulfill(shop, order.id, {
    trackingCompany: "UPS",
    trackingNumber: `${tracking.prefix}${order.id}`,
  });
  await control.addFulfillmentEvent(shop, order.id, fulfillment.id, { status: "delayed", message: tracking.message });
  return order.id;
}
