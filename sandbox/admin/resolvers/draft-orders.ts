/**
 * Draft orders, the way Amends sends a free gift: a draft for the customer
 * with 100%-discounted variant lines and a zero-price shipping line, then
 * draftOrderComplete makes a real order. Custom (variant-less) lines, order
 * level discounts and B2B purchasers are not modelled and are refused.
 */
import { money, type DraftOrder, type MailingAddress, type Product, type ProductVariant } from "../../store";
import type { AdminContext, DraftLineDiscount } from "../context";
import { notModelled } from "../errors";
import { orderFromDraft } from "../order-builder";
import { byId } from "./connection";
import { mailingAddress } from "./customers";
import { findVariant } from "./lookup";
import {
  gidOf,
  iso,
  moneyBag,
  parseGid,
  refuseUnmodelledInput,
  typed,
  type Args,
  type ResolverMap,
  type TypeResolvers,
  type UserError,
} from "./util";

interface DraftLineView {
  draft: DraftOrder;
  index: number;
  quantity: number;
  discountPercent: number;
  variant: ProductVariant | undefined;
  product: Product | undefined;
  detail: DraftLineDiscount | null;
  price: string;
  discount: string;
}

function lineViews(ctx: AdminContext, draft: DraftOrder): DraftLineView[] {
  const details = ctx.extras.draftLineDiscounts.get(draft) ?? [];
  return draft.lineItems.map((line, index) => {
    const variant = findVariant(ctx, line.variantId);
    const product = variant ? ctx.shop.products.get(variant.productId) : undefined;
    const price = variant?.price ?? "0.00";
    const discount = money.times(money.times(price, line.quantity), line.discountPercent / 100);
    return {
      draft,
      index,
      quantity: line.quantity,
      discountPercent: line.discountPercent,
      variant,
      product,
      detail: details[index] ?? null,
      price,
      discount,
    };
  });
}

export function draftTotals(ctx: AdminContext, draft: DraftOrder) {
  const lines = lineViews(ctx, draft);
  const gross = lines.reduce((sum, l) => money.add(sum, money.times(l.price, l.quantity)), "0.00");
  const discounts = lines.reduce((sum, l) => money.add(sum, l.discount), "0.00");
  const subtotal = money.sub(gross, discounts);
  const shipping = draft.shippingLine?.price ?? "0.00";
  return { gross, discounts, subtotal, shipping, total: money.add(subtotal, shipping) };
}

const DraftOrder: TypeResolvers<DraftOrder> = {
  id: (d) => gidOf("DraftOrder", d.id),
  legacyResourceId: (d) => d.id,
  name: (d) => d.name,
  status: (d) => d.status,
  createdAt: (d) => iso(d.createdAt),
  updatedAt: (d) => iso(d.updatedAt),
  completedAt: (d) => iso(d.completedAt),
  customer: (d, _a, ctx) => (d.customerId ? (ctx.shop.customers.get(d.customerId) ?? null) : null),
  purchasingEntity: (d, _a, ctx) => {
    const customer = d.customerId ? ctx.shop.customers.get(d.customerId) : undefined;
    return customer ? typed("Customer", customer) : null;
  },
  email: (d, _a, ctx) => (d.customerId ? (ctx.shop.customers.get(d.customerId)?.email ?? null) : null),
  note2: (d) => d.note,
  tags: (d) => d.tags,
  currencyCode: (_d, _a, ctx) => ctx.shop.currency,
  presentmentCurrencyCode: (_d, _a, ctx) => ctx.shop.currency,
  shippingAddress: (d) => mailingAddress(d.shippingAddress),
  shippingLine: (d, _a, ctx) => {
    if (!d.shippingLine) return null;
    const price = moneyBag(d.shippingLine.price, ctx.shop.currency);
    return {
      id: null,
      title: d.shippingLine.title,
      code: d.shippingLine.title,
      custom: true,
      isRemoved: false,
      originalPriceSet: price,
      discountedPriceSet: price,
      currentDiscountedPriceSet: price,
    };
  },
  lineItems: (d, args, ctx) => byId(lineViews(ctx, d), args, (l) => lineId(l)),
  totalQuantityOfLineItems: (d) => d.lineItems.reduce((sum, l) => sum + l.quantity, 0),
  lineItemsSubtotalPrice: (d, _a, ctx) => moneyBag(draftTotals(ctx, d).subtotal, ctx.shop.currency),
  subtotalPriceSet: (d, _a, ctx) => moneyBag(draftTotals(ctx, d).subtotal, ctx.shop.currency),
  totalLineItemsPriceSet: (d, _a, ctx) => moneyBag(draftTotals(ctx, d).gross, ctx.shop.currency),
  totalDiscountsSet: (d, _a, ctx) => moneyBag(draftTotals(ctx, d).discounts, ctx.shop.currency),
  totalShippingPriceSet: (d, _a, ctx) => moneyBag(draftTotals(ctx, d).shipping, ctx.shop.currency),
  totalTaxSet: (_d, _a, ctx) => moneyBag("0.00", ctx.shop.currency),
  totalPriceSet: (d, _a, ctx) => moneyBag(draftTotals(ctx, d).total, ctx.shop.currency),
  appliedDiscount: () => null,
  discountCodes: () => [],
  ready: () => true,
  taxExempt: () => false,
  order: (d, _a, ctx) => (d.orderId ? (ctx.shop.orders.get(d.orderId) ?? null) : null),
};

/** The store keeps no ids for draft lines; a stable one is derived from the draft's id and the line's position. */
const lineId = (l: DraftLineView) => `${l.draft.id}${String(l.index).padStart(3, "0")}`;

const DraftOrderLineItem: TypeResolvers<DraftLineView> = {
  id: (l) => gidOf("DraftOrderLineItem", lineId(l)),
  title: (l) => l.product?.title ?? "",
  name: (l) =>
    l.variant && l.variant.title !== "Default Title"
      ? `${l.product?.title ?? ""} - ${l.variant.title}`
      : (l.product?.title ?? ""),
  variantTitle: (l) => l.variant?.title ?? null,
  vendor: (l) => l.product?.vendor ?? null,
  sku: (l) => l.variant?.sku || null,
  quantity: (l) => l.quantity,
  custom: () => false,
  isGiftCard: () => false,
  requiresShipping: () => true,
  taxable: () => true,
  variant: (l) => l.variant ?? null,
  product: (l) => l.product ?? null,
  originalUnitPriceSet: (l, _a, ctx) => moneyBag(l.price, ctx.shop.currency),
  originalTotalSet: (l, _a, ctx) => moneyBag(money.times(l.price, l.quantity), ctx.shop.currency),
  discountedTotalSet: (l, _a, ctx) =>
    moneyBag(money.sub(money.times(l.price, l.quantity), l.discount), ctx.shop.currency),
  totalDiscountSet: (l, _a, ctx) => moneyBag(l.discount, ctx.shop.currency),
  appliedDiscount: (l, _a, ctx) =>
    l.discountPercent > 0 || l.detail
      ? {
          title: l.detail?.title ?? null,
          description: l.detail?.description ?? "",
          value: l.detail?.value ?? l.discountPercent,
          valueType: l.detail?.valueType ?? "PERCENTAGE",
          amountSet: moneyBag(l.discount, ctx.shop.currency),
        }
      : null,
};

interface MoneyInput {
  amount: string | number;
  currencyCode: string;
}

interface DraftOrderInput {
  purchasingEntity?: { customerId?: string | null } | null;
  customerId?: string | null;
  lineItems?: Array<{
    variantId?: string | null;
    quantity: number;
    appliedDiscount?: {
      value: number;
      valueType: "PERCENTAGE" | "FIXED_AMOUNT";
      title?: string | null;
      description?: string | null;
      amountWithCurrency?: MoneyInput | null;
    } | null;
  }> | null;
  shippingAddress?: {
    firstName?: string | null;
    lastName?: string | null;
    address1?: string | null;
    city?: string | null;
    zip?: string | null;
    countryCode?: string | null;
    provinceCode?: string | null;
  } | null;
  useCustomerDefaultAddress?: boolean | null;
  shippingLine?: {
    title?: string | null;
    priceWithCurrency?: MoneyInput | null;
    price?: string | number | null;
  } | null;
  note?: string | null;
  tags?: string[] | null;
}

function draftOrderCreate(_root: unknown, args: Args, ctx: AdminContext) {
  const input = args.input as DraftOrderInput;
  refuseUnmodelledInput(
    input,
    [
      "purchasingEntity",
      "customerId",
      "lineItems",
      "shippingAddress",
      "useCustomerDefaultAddress",
      "shippingLine",
      "note",
      "tags",
    ],
    "DraftOrderInput",
  );
  refuseUnmodelledInput(input.purchasingEntity, ["customerId"], "PurchasingEntityInput");
  refuseUnmodelledInput(
    input.shippingAddress,
    ["firstName", "lastName", "address1", "city", "zip", "countryCode", "provinceCode"],
    "MailingAddressInput",
  );
  refuseUnmodelledInput(input.shippingLine, ["title", "priceWithCurrency", "price"], "ShippingLineInput");
  const errors: UserError[] = [];

  let customerId: string | null = null;
  const customerGid = input.purchasingEntity?.customerId ?? input.customerId ?? null;
  if (customerGid) {
    const gid = parseGid(customerGid);
    if (gid.type !== "Customer" || !ctx.shop.customers.has(gid.id)) {
      errors.push({
        field: input.purchasingEntity ? ["purchasingEntity", "customerId"] : ["customerId"],
        message: "Customer does not exist",
      });
    } else customerId = gid.id;
  }

  const lines: DraftOrder["lineItems"] = [];
  const details: Array<DraftLineDiscount | null> = [];
  const inputLines = input.lineItems ?? [];
  if (inputLines.length === 0) errors.push({ field: ["lineItems"], message: "Add at least 1 product" });
  inputLines.forEach((line, index) => {
    refuseUnmodelledInput(
      line,
      ["variantId", "quantity", "appliedDiscount"],
      "DraftOrderLineItemInput (custom line items)",
    );
    refuseUnmodelledInput(
      line.appliedDiscount,
      ["value", "valueType", "title", "description", "amountWithCurrency"],
      "DraftOrderAppliedDiscountInput",
    );
    const at = (...path: string[]) => ["lineItems", String(index), ...path];
    if (!line.variantId) throw notModelled("custom draft order line items (without variantId)");
    const gid = parseGid(line.variantId);
    const variant = gid.type === "ProductVariant" ? findVariant(ctx, gid.id) : undefined;
    if (!variant)
      return void errors.push({ field: at("variantId"), message: `Product with ID ${gid.id} is no longer available.` });
    if (line.quantity < 1)
      return void errors.push({ field: at("quantity"), message: "Quantity must be greater than or equal to 1" });
    let discountPercent = 0;
    const discount = line.appliedDiscount;
    if (discount) {
      if (discount.value < 0)
        return void errors.push({
          field: at("appliedDiscount", "value"),
          message: "Value must be greater than or equal to 0",
        });
      if (discount.valueType === "PERCENTAGE") {
        if (discount.value > 100)
          return void errors.push({
            field: at("appliedDiscount", "value"),
            message: "Value must be less than or equal to 100",
          });
        discountPercent = discount.value;
      } else {
        // A fixed amount is per unit; the store keeps a percentage, so it is converted (capped at the price).
        const perUnit = Math.min(Number(discount.amountWithCurrency?.amount ?? discount.value), Number(variant.price));
        discountPercent = Number(variant.price) > 0 ? (perUnit / Number(variant.price)) * 100 : 0;
      }
    }
    lines.push({ variantId: variant.id, quantity: line.quantity, discountPercent });
    details.push(
      discount
        ? {
            title: discount.title ?? null,
            description: discount.description ?? null,
            valueType: discount.valueType,
            value: discount.value,
          }
        : null,
    );
  });

  let shippingLine: DraftOrder["shippingLine"] = null;
  if (input.shippingLine) {
    const price = input.shippingLine.priceWithCurrency;
    if (price && price.currencyCode !== ctx.shop.currency) {
      errors.push({
        field: ["shippingLine", "priceWithCurrency", "currencyCode"],
        message: "Currency must match the draft order's currency",
      });
    }
    const amount = Number(price?.amount ?? input.shippingLine.price ?? 0);
    if (amount < 0)
      errors.push({
        field: ["shippingLine", "priceWithCurrency", "amount"],
        message: "Price must be greater than or equal to 0",
      });
    shippingLine = { title: input.shippingLine.title ?? "Shipping", price: amount.toFixed(2) };
  }

  let shippingAddress: MailingAddress | null = null;
  if (input.shippingAddress) {
    const a = input.shippingAddress;
    shippingAddress = {
      firstName: a.firstName ?? "",
      lastName: a.lastName ?? "",
      address1: a.address1 ?? "",
      city: a.city ?? "",
      zip: a.zip ?? "",
      countryCode: a.countryCode ?? "",
    };
    if (a.provinceCode) shippingAddress.provinceCode = a.provinceCode;
  } else if (input.useCustomerDefaultAddress && customerId) {
    shippingAddress = ctx.shop.customers.get(customerId)?.defaultAddress ?? null;
  }

  if (errors.length) return { draftOrder: null, userErrors: errors };
  const draft: DraftOrder = {
    id: ctx.store.newId(),
    name: `#D${ctx.extras.nextDraftNumber++}`,
    status: "OPEN",
    createdAt: ctx.now,
    updatedAt: ctx.now,
    customerId,
    lineItems: lines,
    shippingAddress,
    shippingLine,
    note: input.note ?? null,
    tags: input.tags ?? [],
    orderId: null,
    completedAt: null,
  };
  ctx.shop.draftOrders.set(draft.id, draft);
  ctx.extras.draftLineDiscounts.set(draft, details);
  return { draftOrder: draft, userErrors: [] };
}

function draftOrderComplete(_root: unknown, args: Args, ctx: AdminContext) {
  if (args.paymentGatewayId !== undefined && args.paymentGatewayId !== null)
    throw notModelled("draftOrderComplete(paymentGatewayId:)");
  if (args.sourceName !== undefined && args.sourceName !== null) throw notModelled("draftOrderComplete(sourceName:)");
  const gid = parseGid(args.id);
  const draft = gid.type === "DraftOrder" ? ctx.shop.draftOrders.get(gid.id) : undefined;
  if (!draft) return { draftOrder: null, userErrors: [{ field: ["id"], message: "Draft order does not exist" }] };
  if (draft.status === "COMPLETED")
    return { draftOrder: draft, userErrors: [{ field: null, message: "This order has already been completed" }] };
  const order = orderFromDraft(ctx.store, ctx.shop, draft, {
    now: ctx.now,
    paymentPending: args.paymentPending === true,
  });
  draft.status = "COMPLETED";
  draft.completedAt = ctx.now;
  draft.updatedAt = ctx.now;
  draft.orderId = order.id;
  const { onOrderCreated } = ctx.options;
  if (onOrderCreated) ctx.afterResponse.push(() => onOrderCreated(ctx.shop, order));
  return { draftOrder: draft, userErrors: [] };
}

export const draftOrderResolvers: ResolverMap = { DraftOrder, DraftOrderLineItem };

export const draftOrderQueries = {
  draftOrder: (_root: unknown, args: Args, ctx: AdminContext) => {
    const gid = parseGid(args.id);
    return (gid.type === "DraftOrder" && ctx.shop.draftOrders.get(gid.id)) || null;
  },
};

export const draftOrderMutations = { draftOrderCreate, draftOrderComplete };
