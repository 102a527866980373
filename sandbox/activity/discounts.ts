/**
 * Redeeming a discount code at checkout, with the checks Shopify makes: the
 * code exists (case-insensitively), the discount is inside its active window,
 * the customer is in its context, the usage limit is not reached and a
 * once-per-customer code was not used by this customer before.
 */
import type { CodeDiscount, DiscountRedeemCode, Id, ShopState } from "../store";
import { money } from "../store";
import { SandboxError } from "./errors";
import { allocateCents } from "./pricing";

export interface FoundCode {
  discount: CodeDiscount;
  code: DiscountRedeemCode;
}

export function findDiscountCode(shop: ShopState, code: string): FoundCode | undefined {
  const wanted = code.trim().toLowerCase();
  for (const discount of shop.discounts.values()) {
    const match = discount.codes.find((c) => c.code.toLowerCase() === wanted);
    if (match) return { discount, code: match };
  }
  return undefined;
}

const totalUsage = (discount: CodeDiscount) => discount.codes.reduce((n, c) => n + c.usageCount, 0);

function usedBefore(shop: ShopState, discount: CodeDiscount, customerId: Id): boolean {
  const codes = new Set(discount.codes.map((c) => c.code.toLowerCase()));
  for (const order of shop.orders.values()) {
    if (order.customerId === customerId && order.discountCodes.some((c) => codes.has(c.toLowerCase()))) return true;
  }
  return false;
}

/** The code's discount for this customer now, or a SandboxError saying why checkout would refuse it. */
export function validateDiscountCode(shop: ShopState, code: string, customerId: Id | null, at: Date): FoundCode {
  const found = findDiscountCode(shop, code);
  if (!found) throw new SandboxError("DISCOUNT_NOT_FOUND", `discount code ${code} does not exist`);
  const { discount } = found;
  if (discount.startsAt.getTime() > at.getTime())
    throw new SandboxError("DISCOUNT_NOT_ACTIVE", `discount code ${code} starts at ${discount.startsAt.toISOString()}`);
  if (discount.endsAt && discount.endsAt.getTime() <= at.getTime())
    throw new SandboxError("DISCOUNT_EXPIRED", `discount code ${code} ended at ${discount.endsAt.toISOString()}`);
  if (discount.customerIds.length > 0 && (customerId === null || !discount.customerIds.includes(customerId))) {
    throw new SandboxError("DISCOUNT_CUSTOMER_NOT_ELIGIBLE", `discount code ${code} is limited to other customers`);
  }
  if (discount.usageLimit !== null && totalUsage(discount) >= discount.usageLimit) {
    throw new SandboxError(
      "DISCOUNT_USAGE_LIMIT_REACHED",
      `discount code ${code} reached its usage limit of ${discount.usageLimit}`,
    );
  }
  if (discount.appliesOncePerCustomer && customerId !== null && usedBefore(shop, discount, customerId)) {
    throw new SandboxError(
      "DISCOUNT_ALREADY_USED_BY_CUSTOMER",
      `discount code ${code} was already used by this customer`,
    );
  }
  return found;
}

/**
 * The discount per line in cents. A percentage takes that share of every line
 * (Shopify's percentage is a fraction, 0.15 = 15%); a fixed amount either comes
 * off each unit or is spread across the lines, never more than they cost.
 */
export function discountPerLine(
  discount: CodeDiscount,
  lines: Array<{ priceCents: number; quantity: number }>,
): number[] {
  const gross = lines.map((l) => l.priceCents * l.quantity);
  const grossTotal = gross.reduce((a, b) => a + b, 0);
  const value = discount.value;
  if ("percentage" in value) {
    return allocateCents(Math.min(grossTotal, Math.round(grossTotal * value.percentage)), gross);
  }
  const amount = money.cents(value.amount);
  if (value.appliesOnEachItem) return lines.map((l, i) => Math.min(gross[i] ?? 0, amount * l.quantity));
  return allocateCents(Math.min(grossTotal, amount), gross);
}

/** How the discount shows in REST: value and value_type of the discount application. */
export function restDiscountValue(discount: CodeDiscount | undefined): {
  value: string;
  valueType: "percentage" | "fixed_amount";
  allocation: "across" | "each";
} {
  if (!discount) return { value: "0.00", valueType: "fixed_amount", allocation: "across" };
  if ("percentage" in discount.value) {
    return { value: (discount.value.percentage * 100).toFixed(1), valueType: "percentage", allocation: "across" };
  }
  return {
    value: discount.value.amount,
    valueType: "fixed_amount",
    allocation: discount.value.appliesOnEachItem ? "each" : "across",
  };
}
