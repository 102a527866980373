/**
 * Order arithmetic in cents. A code's discount is spread over the lines in
 * proportion to their price (the last line takes the rounding remainder), the
 * way Shopify allocates an "across" discount; refunds give back each unit's
 * price less its share of that discount.
 */
import { money, type LineItem } from "../store";

/** What `quantity` units of `line` cost the customer after the line's discount. */
export function lineSubtotalCents(line: LineItem, quantity: number): number {
  if (line.quantity === 0) return 0;
  const gross = money.cents(line.price) * quantity;
  const discount = Math.round((money.cents(line.discount) * quantity) / line.quantity);
  return gross - discount;
}

/** Split `totalCents` over weights proportionally, in whole cents, summing exactly to the total. */
export function allocateCents(totalCents: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const shares = weights.map((w) => Math.floor((totalCents * w) / sum));
  let rest = totalCents - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0 && weights.length > 0; i = (i + 1) % weights.length) {
    if ((weights[i] ?? 0) > 0) {
      shares[i] = (shares[i] ?? 0) + 1;
      rest--;
    }
  }
  return shares;
}
