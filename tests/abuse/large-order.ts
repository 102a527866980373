/**
 * The biggest webhook a large real order produces, from the sandbox store's Shopify-shaped payloads:
 * an order of 250 lines, fully shipped, then one unit of every line refunded. Its orders/updated
 * delivery then carries every line three times over (line items, the fulfilment's lines, the
 * refund's lines). The request body cap must hold it with room to spare.
 */
import { createStoreKit } from "../../sandbox/activity/kit";

export async function largeOrderWebhook(lines = 250): Promise<{ topic: string; body: string; bytes: number }> {
  const shop = "large-order.myshopify.com";
  const kit = createStoreKit({ shops: [shop] });
  const product = kit.activity.createProduct(shop, {
    title: "Organic cotton crew-neck T-shirt, garment dyed",
    vendor: "Evergreen Outfitters",
    variants: Array.from({ length: lines }, (_, i) => ({
      title: `Colour ${i} / Large`,
      price: "24.00",
      sku: `TEE-${String(i).padStart(4, "0")}-L`,
    })),
  });
  const customer = kit.activity.createCustomer(shop, {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
  });
  kit.activity.createDiscount(shop, { code: "WELCOME10", value: { percentage: 0.1 } });
  const order = await kit.activity.placeOrder(shop, {
    customerId: customer.id,
    lines: product.variants.map((v) => ({ variantId: v.id, quantity: 2 })),
    discountCode: "WELCOME10",
    shippingPrice: "9.00",
  });
  await kit.activity.fulfill(shop, order.id, { trackingCompany: "UPS", trackingNumber: "1Z999AA10123456784" });
  await kit.activity.refund(shop, order.id, { lines: order.lineItems.map((l) => ({ lineItemId: l.id, quantity: 1 })) });
  const largest = kit.sender.log.reduce((a, b) => (Buffer.byteLength(b.body) > Buffer.byteLength(a.body) ? b : a));
  return { topic: largest.topic, body: largest.body, bytes: Buffer.byteLength(largest.body) };
}
