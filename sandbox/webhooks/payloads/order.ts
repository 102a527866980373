/**
 * The order payload of orders/create, orders/updated, orders/cancelled,
 * orders/fulfilled and orders/partially_fulfilled (one shape for all five), as
 * an app with protected customer data approval receives it.
 */
import { findDiscountCode, restDiscountValue } from "../../activity/discounts";
import { refundDetailOf } from "../../activity/ledger";
import { orderFulfillmentStatus } from "../../activity/order-status";
import { lineSubtotalCents } from "../../activity/pricing";
import { gid, money, type Customer, type Order, type ShopState } from "../../store";
import { restAddress, restCustomerAddress } from "../address";
import {
  DERIVED,
  derivedId,
  moneySet,
  restId,
  restTime,
  restTimeOrNull,
  shopNumericId,
  stableHex,
} from "../rest-format";
import { fulfillmentPayload } from "./fulfillment";
import { orderLineItem } from "./line-item";
import { refundPayload } from "./refund";

/** The customer object embedded in an order payload. */
export function orderCustomer(shop: ShopState, customer: Customer) {
  const id = restId(customer.id);
  const tz = shop.ianaTimezone;
  return {
    id,
    created_at: restTime(customer.createdAt, tz),
    updated_at: restTime(customer.updatedAt, tz),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: "disabled",
    note: null as string | null,
    verified_email: true,
    multipass_identifier: null as string | null,
    tax_exempt: false,
    email: customer.email,
    phone: null as string | null,
    currency: shop.currency,
    tax_exemptions: [] as string[],
    admin_graphql_api_id: gid("Customer", customer.id),
    default_address: restCustomerAddress(customer.defaultAddress, derivedId(customer.id, DERIVED.address), id),
  };
}

function paymentGatewayNames(order: Order): string[] {
  const names: string[] = [];
  if (money.cents(order.storeCreditUsed) > 0) names.push("shopify_store_credit");
  if (order.giftCardIdsUsed.length > 0) names.push("gift_card");
  const card = money.cents(order.total) - money.cents(order.storeCreditUsed);
  if (card > 0 || names.length === 0) names.push(order.test ? "bogus" : "shopify_payments");
  return names;
}

export function orderPayload(shop: ShopState, order: Order) {
  const tz = shop.ianaTimezone;
  const currency = order.currency;
  const set = (amount: string) => moneySet(amount, currency);
  const customer = order.customerId ? shop.customers.get(order.customerId) : undefined;
  const shopId = shopNumericId(shop.domain);
  const token = stableHex(`${shop.domain}/order/${order.id}`, 32);

  const lineItemsCents = order.lineItems.reduce((n, l) => n + money.cents(l.price) * l.quantity, 0);
  let refundedCents = 0;
  let refundedShippingCents = 0;
  for (const refund of order.refunds) {
    refundedCents += money.cents(refund.amount);
    refundedShippingCents += money.cents(refundDetailOf(refund, order).shipping);
  }
  const currentSubtotalCents = order.lineItems.reduce(
    (n, l) => n + lineSubtotalCents(l, l.quantity - l.refundedQuantity),
    0,
  );
  const currentDiscountCents = order.lineItems.reduce(
    (n, l) =>
      n +
      (l.quantity === 0 ? 0 : Math.round((money.cents(l.discount) * (l.quantity - l.refundedQuantity)) / l.quantity)),
    0,
  );
  const currentShipping = money.fromCents(Math.max(0, money.cents(order.shippingPrice) - refundedShippingCents));
  const currentTotal = money.fromCents(Math.max(0, money.cents(order.total) - refundedCents));
  const currentSubtotal = money.fromCents(currentSubtotalCents);
  const currentDiscounts = money.fromCents(currentDiscountCents);
  const zero = "0.00";

  const codes = order.discountCodes.map((code) => ({ code, discount: findDiscountCode(shop, code)?.discount }));
  const address = order.shippingAddress ? restAddress(order.shippingAddress) : null;

  return {
    id: restId(order.id),
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null as number | null,
    browser_ip: null as string | null,
    buyer_accepts_marketing: false,
    cancel_reason: order.cancelReason,
    cancelled_at: restTimeOrNull(order.cancelledAt, tz),
    cart_token: null as string | null,
    checkout_token: null as string | null,
    client_details: null,
    closed_at: null as string | null,
    confirmation_number: stableHex(`${shop.domain}/confirmation/${order.id}`, 9).toUpperCase(),
    confirmed: true,
    contact_email: order.email,
    created_at: restTime(order.createdAt, tz),
    currency,
    current_shipping_price_set: set(currentShipping),
    current_subtotal_price: currentSubtotal,
    current_subtotal_price_set: set(currentSubtotal),
    current_total_additional_fees_set: null,
    current_total_discounts: currentDiscounts,
    current_total_discounts_set: set(currentDiscounts),
    current_total_duties_set: null,
    current_total_price: currentTotal,
    current_total_price_set: set(currentTotal),
    current_total_tax: zero,
    current_total_tax_set: set(zero),
    customer_locale: customer?.locale ?? "en",
    device_id: null as number | null,
    discount_codes: codes.map(({ code, discount }) => ({
      code,
      amount: order.totalDiscounts,
      type: restDiscountValue(discount).valueType,
    })),
    duties_included: false,
    email: order.email,
    estimated_taxes: false,
    financial_status: order.financialStatus,
    fulfillment_status: orderFulfillmentStatus(order),
    landing_site: null as string | null,
    landing_site_ref: null as string | null,
    location_id: null as number | null,
    merchant_business_entity_id: Buffer.from(String(shopId)).toString("base64").replace(/=+$/, ""),
    merchant_of_record_app_id: null as number | null,
    name: order.name,
    note: order.note,
    note_attributes: [] as Array<{ name: string; value: string }>,
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${shop.domain}/${shopId}/orders/${token}/authenticate?key=${stableHex(`${token}/key`, 32)}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: paymentGatewayNames(order),
    phone: null as string | null,
    po_number: null as string | null,
    presentment_currency: currency,
    processed_at: restTime(order.processedAt, tz),
    reference: null as string | null,
    referring_site: null as string | null,
    source_identifier: null as string | null,
    source_name: order.sourceName,
    source_url: null as string | null,
    subtotal_price: order.subtotal,
    subtotal_price_set: set(order.subtotal),
    tags: order.tags.join(", "),
    tax_exempt: false,
    tax_lines: [] as unknown[],
    taxes_included: false,
    test: order.test,
    token,
    total_cash_rounding_payment_adjustment_set: set(zero),
    total_cash_rounding_refund_adjustment_set: set(zero),
    total_discounts: order.totalDiscounts,
    total_discounts_set: set(order.totalDiscounts),
    total_line_items_price: money.fromCents(lineItemsCents),
    total_line_items_price_set: set(money.fromCents(lineItemsCents)),
    total_outstanding: order.financialStatus === "pending" ? order.total : zero,
    total_price: order.total,
    total_price_set: set(order.total),
    total_shipping_price_set: set(order.shippingPrice),
    total_tax: zero,
    total_tax_set: set(zero),
    total_tip_received: zero,
    total_weight: 0,
    updated_at: restTime(order.updatedAt, tz),
    user_id: null as number | null,
    billing_address: address,
    customer: customer ? orderCustomer(shop, customer) : null,
    discount_applications: codes.map(({ code, discount }) => {
      const rest = restDiscountValue(discount);
      return {
        target_type: "line_item",
        type: "discount_code",
        value: rest.value,
        value_type: rest.valueType,
        allocation_method: rest.allocation,
        target_selection: "all",
        code,
      };
    }),
    fulfillments: order.fulfillments.map((f) => fulfillmentPayload(shop, order, f)),
    line_items: order.lineItems.map((line) => orderLineItem(shop, order, line)),
    payment_terms: null,
    refunds: order.refunds.map((r) => refundPayload(shop, order, r)),
    shipping_address: address,
    shipping_lines: [shippingLine(order, currentShipping)],
    returns: [] as unknown[],
    line_item_groups: [] as unknown[],
  };
}

function shippingLine(order: Order, currentShipping: string) {
  const set = (amount: string) => moneySet(amount, order.currency);
  return {
    id: derivedId(order.id, DERIVED.shippingLine),
    carrier_identifier: null as string | null,
    code: "Standard",
    current_discounted_price_set: set(currentShipping),
    discounted_price: order.shippingPrice,
    discounted_price_set: set(order.shippingPrice),
    is_removed: false,
    phone: null as string | null,
    price: order.shippingPrice,
    price_set: set(order.shippingPrice),
    requested_fulfillment_service_id: null as string | null,
    source: "shopify",
    title: "Standard",
    tax_lines: [] as unknown[],
    discount_allocations: [] as unknown[],
  };
}
