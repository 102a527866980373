import { RecoveryError } from "../errors";
import { formatMoney, percentOf, type MinorUnits } from "../money";
import type { IncidentType, Severity, Tier } from "../vocabulary";
import type { PreferableKind } from "../preference/preference";
import { describeLines, replacementValue } from "../replacement/lines";
import type { LifecycleStage } from "../lifecycle/lifecycle";
import type { Grid, GridCell, PreferredKindOption } from "./schema";

export interface ResolvedCell {
  cell: GridCell;
  /** GRID: the base cell; OVERRIDE: the incident type's override; STAGE: the lifecycle stage's cell. */
  source: "GRID" | "OVERRIDE" | "STAGE";
}

/**
 * The cell that decides (decision 0115): the incident type's override, else the lifecycle stage's
 * cell, else the base cell. A type override is about what went wrong (a small refund is its own
 * make-good), which no stage changes; a stage without a cell for this severity and tier (every
 * grid saved before stages existed) is the base cell, so those grids decide as before.
 */
export function resolveCell(
  grid: Grid,
  type: IncidentType,
  severity: Severity,
  tier: Tier,
  stage: LifecycleStage | null = null,
): ResolvedCell {
  const override = grid.overrides[type]?.[severity]?.[tier];
  if (override) return { cell: override, source: "OVERRIDE" };
  const staged = stage ? grid.stageOverrides[stage]?.[severity]?.[tier] : undefined;
  if (staged) return { cell: staged, source: "STAGE" };
  return { cell: grid.cells[severity][tier], source: "GRID" };
}

/**
 * Whether a cell can give a free replacement, itself or through one of its experiment's arms: the
 * decision then needs the incident's affected lines (decisions 0116, 0119).
 */
export function mayReplace(cell: GridCell): boolean {
  return cell.kind === "REPLACEMENT" || (cell.arms ?? []).some((arm) => arm.offer["kind"] === "REPLACEMENT");
}

/** Variants a grid can give away: the caller reads their prices before deciding. */
export function giftVariantIds(grid: Grid): string[] {
  const rows = [grid.cells, ...Object.values(grid.overrides), ...Object.values(grid.stageOverrides)];
  const ids = rows.flatMap((row) =>
    Object.values(row ?? {}).flatMap((cells) =>
      Object.values(cells ?? {}).flatMap((cell) => [
        ...(cell?.kind === "GIFT_PRODUCT" ? [cell.value.variantId] : []),
        // An experiment's arms may give a gift product too (decision 0119).
        ...(cell?.arms ?? []).flatMap((arm) => giftVariantOf(arm.offer)),
      ]),
    ),
  );
  return [...new Set(ids)].sort();
}

/** The variant a raw arm offer gives, if it is a gift product (the arm was validated with its cell). */
function giftVariantOf(offer: Record<string, unknown>): string[] {
  if (offer["kind"] !== "GIFT_PRODUCT") return [];
  const value = offer["value"] as { variantId?: unknown } | undefined;
  return typeof value?.variantId === "string" ? [value.variantId] : [];
}

export interface ValuationContext {
  /** The incident order's subtotal: the best guess at the basket a percent code will apply to. */
  orderSubtotalMinor: MinorUnits;
  percentBasketCapMinor: MinorUnits;
  /** Current prices of gift variants, read at decision time. */
  variantPrices?: Readonly<Record<string, MinorUnits>>;
}

/** What an offer is worth to the customer, in shop-currency minor units. */
export function faceValue(cell: GridCell, context: ValuationContext): MinorUnits {
  switch (cell.kind) {
    case "DISCOUNT_PERCENT":
      return percentOf(Math.max(0, Math.min(context.orderSubtotalMinor, context.percentBasketCapMinor)), cell.value);
    case "DISCOUNT_FIXED":
    case "STORE_CREDIT":
    case "GIFT_CARD":
      return cell.value;
    case "GIFT_PRODUCT": {
      const price = context.variantPrices?.[cell.value.variantId];
      if (price === undefined)
        throw new RecoveryError("GIFT_PRICE_MISSING", `No price supplied for gift variant ${cell.value.variantId}`);
      return price * cell.value.quantity;
    }
    case "REPLACEMENT":
      // The decision fills in the incident's affected lines (replacement/lines.ts) before valuing.
      if (!cell.value.lines)
        throw new RecoveryError("REPLACEMENT_LINES_MISSING", "No affected lines supplied for a replacement");
      return replacementValue(cell.value.lines, cell.value.shippingCostMinor);
    case "NONE":
      return 0;
  }
}

const expiryText = (days: number | null) => (days === null ? "no expiry" : `${days}-day expiry`);

/** "20% code, 60-day expiry": how the grid's choice reads in an explanation. */
export function describeCell(cell: GridCell, currency: string, locale = "en"): string {
  const money = (minor: number) => formatMoney(minor, currency, locale);
  switch (cell.kind) {
    case "DISCOUNT_PERCENT":
      return `${cell.value}% code, ${expiryText(cell.expiryDays)}`;
    case "DISCOUNT_FIXED":
      return `${money(cell.value)} code, ${expiryText(cell.expiryDays)}`;
    case "STORE_CREDIT":
      return `${money(cell.value)} store credit, ${expiryText(cell.expiryDays)}`;
    case "GIFT_CARD":
      return `${money(cell.value)} gift card, ${expiryText(cell.expiryDays)}`;
    case "GIFT_PRODUCT":
      return `free gift product (${cell.value.quantity} x ${cell.value.variantId.split("/").pop() ?? cell.value.variantId})`;
    case "REPLACEMENT": {
      const shipping = `${cell.value.shippingTitle} shipping (${money(cell.value.shippingCostMinor)} to the shop)`;
      return cell.value.lines
        ? `free replacement of ${describeLines(cell.value.lines) || "nothing"}, ${shipping}`
        : `free replacement of the affected lines, ${shipping}`;
    }
    case "NONE":
      return "apology only";
  }
}

/**
 * Expiry of a preferred-kind code or store credit when the cell's own kind has none (a gift
 * product, a gift card without expiry): codes and credit must expire (decision 0104).
 */
export const PREFERRED_EXPIRY_DAYS = 90;

/** The cell's own make-good, without its preferred-kind option (what an offer records). */
export function withoutPreferredOption(cell: GridCell): GridCell {
  if (cell.kind === "NONE" || cell.preferredKind === undefined) return cell;
  const own = { ...cell };
  delete own.preferredKind;
  return own;
}

/**
 * The make-good a customer who prefers `kind` gets from this cell (decision 0114): the merchant's
 * equivalent, with the cell's approval, template and expiry; null when the cell sets none.
 */
export function preferredCell(cell: GridCell, kind: PreferableKind): GridCell | null {
  if (cell.kind === "NONE") return null;
  const value = cell.preferredKind?.[kind];
  if (value === undefined) return null;
  const base = { approval: cell.approval, messageTemplateKey: cell.messageTemplateKey };
  const expiry = cell.expiryDays ?? PREFERRED_EXPIRY_DAYS;
  switch (kind) {
    case "DISCOUNT_CODE":
      return { ...base, kind: "DISCOUNT_PERCENT", value, expiryDays: expiry };
    case "STORE_CREDIT":
      return { ...base, kind: "STORE_CREDIT", value, expiryDays: expiry };
    case "GIFT_CARD":
      // A gift card may run without expiry, like the cell it stands in for.
      return { ...base, kind: "GIFT_CARD", value, expiryDays: cell.expiryDays };
  }
}

/** "or the customer's preferred kind: 10% code, $10 store credit": the option in an explanation. */
export function describePreferredOption(option: PreferredKindOption, currency: string, locale = "en"): string {
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const parts = [
    option.DISCOUNT_CODE === undefined ? null : `${option.DISCOUNT_CODE}% code`,
    option.STORE_CREDIT === undefined ? null : `${money(option.STORE_CREDIT)} store credit`,
    option.GIFT_CARD === undefined ? null : `${money(option.GIFT_CARD)} gift card`,
  ].filter((p): p is string => p !== null);
  return `or the customer's preferred kind: ${parts.join(", ")}`;
}
