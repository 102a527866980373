/** REST line items: the full shape inside orders, the shorter one nested in fulfillments and refunds. */
import { gid, money, type LineItem, type Order, type ShopState } from "../../store";
import { moneySet, restId } from "../rest-format";

function variantInfo(shop: ShopState, line: LineItem) {
  const product = shop.products.get(line.productId);
  const variant = product?.variants.find((v) => v.id === line.variantId);
  const variantTitle = variant && variant.title !== "Default Title" ? variant.title : null;
  return { product, variant, variantTitle };
}

/** "fulfilled" once nothing is left to ship, "partial" when some of it shipped, else null (REST line item fulfillment_status). */
function lineFulfillmentStatus(order: Order, line: LineItem): string | null {
  let shipped = 0;
  for (const f of order.fulfillments) if (f.status === "success") shipped += f.lines[line.id] ?? 0;
  if (shipped === 0) return null;
  return line.fulfillableQuantity === 0 ? "fulfilled" : "partial";
}

/** The discount code's allocation on this line: one discount_application (index 0) at most. */
function discountAllocations(line: LineItem, currency: string) {
  if (money.cents(line.discount) === 0) return [];
  return [{ amount: line.discount, discount_application_index: 0, amount_set: moneySet(line.discount, currency) }];
}

/** The line item nested in a fulfillment or a refund line (no current_quantity, attributed_staffs, sales_line_item_group_id). */
export function nestedLineItem(shop: ShopState, order: Order, line: LineItem, quantity = line.quantity) {
  const { product, variant, variantTitle } = variantInfo(shop, line);
  return {
    id: restId(line.id),
    variant_id: variant ? restId(variant.id) : null,
    title: line.title,
    quantity,
    sku: line.sku,
    variant_title: variantTitle,
    vendor: product?.vendor ?? null,
    fulfillment_service: "manual",
    product_id: product ? restId(product.id) : null,
    requires_shipping: true,
    taxable: true,
    gift_card: false,
    name: variantTitle ? `${line.title} - ${variantTitle}` : line.title,
    variant_inventory_management: "shopify",
    properties: [] as Array<{ name: string; value: string }>,
    product_exists: product !== undefined,
    fulfillable_quantity: line.fulfillableQuantity,
    grams: 0,
    price: line.price,
    total_discount: line.discount,
    fulfillment_status: lineFulfillmentStatus(order, line),
    price_set: moneySet(line.price, order.currency),
    total_discount_set: moneySet(line.discount, order.currency),
    discount_allocations: discountAllocations(line, order.currency),
    duties: [] as unknown[],
    admin_graphql_api_id: gid("LineItem", line.id),
    tax_lines: [] as unknown[],
  };
}

/** The line item of an order payload. */
export function orderLineItem(shop: ShopState, order: Order, line: LineItem) {
  const nested = nestedLineItem(shop, order, line);
  return {
    id: nested.id,
    admin_graphql_api_id: nested.admin_graphql_api_id,
    attributed_staffs: [] as Array<{ id: string; quantity: number }>,
    current_quantity: line.quantity - line.refundedQuantity,
    fulfillable_quantity: nested.fulfillable_quantity,
    fulfillment_service: nested.fulfillment_service,
    fulfillment_status: nested.fulfillment_status,
    gift_card: false,
    grams: 0,
    name: nested.name,
    price: nested.price,
    price_set: nested.price_set,
    product_exists: nested.product_exists,
    product_id: nested.product_id,
    properties: nested.properties,
    quantity: line.quantity,
    requires_shipping: true,
    sales_line_item_group_id: null as number | null,
    sku: nested.sku,
    taxable: true,
    title: nested.title,
    total_discount: nested.total_discount,
    total_discount_set: nested.total_discount_set,
    variant_id: nested.variant_id,
    variant_inventory_management: nested.variant_inventory_management,
    variant_title: nested.variant_title,
    vendor: nested.vendor,
    tax_lines: nested.tax_lines,
    duties: nested.duties,
    discount_allocations: nested.discount_allocations,
  };
}
