/**
 * Which lines a free replacement sends again (decision 0116): "the affected lines" of the
 * incident's order, per incident type, with the quantities as on the order.
 * - LATE_FULFILLMENT: what is still unfulfilled (the late part; what shipped is not replaced).
 * - DELIVERY_DELAY, DELIVERY_FAILURE: the lines of the parcels the incident names (its evidence's
 *   fulfillment ids), with each parcel's quantities.
 * - REFUND: the lines the incident's refunds took back (an amount-only refund names no line).
 * - MERCHANT_CANCELLATION: the order as placed (the shop cancelled all of it).
 * - MANUAL: the order's current lines (ordered less refunded): staff opened it about the order.
 * A line appears once, its quantities summed; lines are in the order's order.
 */
import type { ReplacementLine } from "../grid/schema";
import type { MinorUnits } from "../money";
import type { IncidentType } from "../vocabulary";

/** The order's lines, parcels and refunds, as read from Shopify (operations/order-lines.ts). */
export interface OrderLineFacts {
  lines: ReadonlyArray<{
    id: string;
    variantId: string | null;
    title: string;
    quantity: number;
    currentQuantity: number;
    unfulfilledQuantity: number;
    unitPriceMinor: MinorUnits;
  }>;
  fulfillments: ReadonlyArray<{ id: string; lines: ReadonlyArray<{ lineItemId: string; quantity: number }> }>;
  refunds: ReadonlyArray<{ id: string; lines: ReadonlyArray<{ lineItemId: string; quantity: number }> }>;
}

/** The ids an incident's evidence lists under `key` (parcels' fulfillmentId, refunds' id). */
function idsIn(evidence: unknown, list: string, key: string): Set<string> {
  const items = typeof evidence === "object" && evidence !== null ? (evidence as Record<string, unknown>)[list] : null;
  if (!Array.isArray(items)) return new Set();
  return new Set(
    items.flatMap((item) => {
      const id = typeof item === "object" && item !== null ? (item as Record<string, unknown>)[key] : null;
      return typeof id === "string" ? [id] : [];
    }),
  );
}

function quantitiesOf(
  parts: OrderLineFacts["fulfillments"] | OrderLineFacts["refunds"],
  chosen: Set<string>,
): Map<string, number> {
  const quantities = new Map<string, number>();
  for (const part of parts) {
    if (!chosen.has(part.id)) continue;
    for (const line of part.lines)
      quantities.set(line.lineItemId, (quantities.get(line.lineItemId) ?? 0) + line.quantity);
  }
  return quantities;
}

/** How many of each line the incident affected, by line item id. */
function affectedQuantities(type: IncidentType, evidence: unknown, facts: OrderLineFacts): Map<string, number> {
  switch (type) {
    case "LATE_FULFILLMENT":
      return new Map(facts.lines.map((line) => [line.id, line.unfulfilledQuantity]));
    case "DELIVERY_DELAY":
    case "DELIVERY_FAILURE":
      return quantitiesOf(facts.fulfillments, idsIn(evidence, "parcels", "fulfillmentId"));
    case "REFUND":
      return quantitiesOf(facts.refunds, idsIn(evidence, "refunds", "id"));
    case "MERCHANT_CANCELLATION":
      return new Map(facts.lines.map((line) => [line.id, line.quantity]));
    case "MANUAL":
      return new Map(facts.lines.map((line) => [line.id, line.currentQuantity]));
  }
}

/** The affected lines of the incident's order; empty when nothing is left to replace. */
export function affectedLines(type: IncidentType, evidence: unknown, facts: OrderLineFacts): ReplacementLine[] {
  const quantities = affectedQuantities(type, evidence, facts);
  return facts.lines.flatMap((line) => {
    const quantity = Math.min(quantities.get(line.id) ?? 0, line.quantity);
    if (quantity < 1) return [];
    return [
      {
        lineItemId: line.id,
        variantId: line.variantId,
        title: line.title,
        quantity,
        unitPriceMinor: line.unitPriceMinor,
      },
    ];
  });
}

/** A replacement's face value: the lines' price plus the shipping the shop pays. */
export function replacementValue(lines: readonly ReplacementLine[], shippingCostMinor: MinorUnits): MinorUnits {
  return lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, shippingCostMinor);
}

/**
 * Where no order's lines are read (the grid preview replaying past incidents, the sample offer):
 * the whole order stands in for its affected lines, at its subtotal. An upper bound: a replacement
 * of part of an order is valued at all of it.
 */
export function wholeOrderEstimate(orderSubtotalMinor: MinorUnits): ReplacementLine[] {
  return [
    {
      lineItemId: "gid://shopify/LineItem/0",
      variantId: null,
      title: "the order's lines (estimate)",
      quantity: 1,
      unitPriceMinor: Math.max(0, orderSubtotalMinor),
    },
  ];
}

/** "2 × Mug, 1 × Tea towel". */
export function describeLines(lines: readonly ReplacementLine[]): string {
  return lines.map((line) => `${line.quantity} × ${line.title}`).join(", ");
}
