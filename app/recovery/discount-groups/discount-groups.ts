/**
 * Grouping make-good codes under a few shared discounts (Built for Shopify 5.5.3: no
 * near-identical discount per offer). A code added to a discount shares its value, dates,
 * combinations and customer context, so codes group by everything a code cannot carry on its
 * own: the value (percentage, or amount and currency) and the week the offer expires in, in the
 * shop's zone. The group's discount ends when that week ends, so a code lives at least as long as
 * its offer promised and at most seven days longer. See docs/decisions/0109-discount-groups.md.
 */
import { RecoveryError } from "../errors";
import { formatMoney, type MinorUnits } from "../money";
import { dayNumberOf, localDate, localDateOfDayNumber, startOfLocalDay, weekdayOfDayNumber } from "../time/zoned";

/** Customers per group discount: bounds what one leaked code could reach. */
export const DISCOUNT_GROUP_CAPACITY = 100;

export type GroupedDiscountValue =
  { kind: "PERCENT"; percent: number } | { kind: "AMOUNT"; amountMinor: MinorUnits; currency: string };

export interface DiscountGroupSpec {
  /** Same key = the codes can share one discount. */
  key: string;
  /** What the merchant sees in Shopify's Discounts list. */
  title: string;
  /** The discount's end: the start of the Monday after the offer's expiry week (null: no expiry). */
  endsAt: Date | null;
  /** The last day a code of the group can be used, shop-local (for the title). */
  lastDay: string | null;
}

/** The Monday (ISO week start) of a local date's week, as a day number. */
function mondayOf(dayNumber: number): number {
  const weekday = weekdayOfDayNumber(dayNumber); // 0 = Sunday
  return dayNumber - ((weekday + 6) % 7);
}

/** ISO 8601 week label of the week starting on `monday` ("2026-W48"). */
function isoWeekLabel(monday: number): string {
  const thursday = monday + 3;
  const year = Number(localDateOfDayNumber(thursday).slice(0, 4));
  const firstThursday = mondayOf(dayNumberOf(`${year}-01-04`)) + 3;
  const week = (thursday - firstThursday) / 7 + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

function valueLabel(value: GroupedDiscountValue): { key: string; label: string } {
  if (value.kind === "PERCENT") {
    if (!(value.percent > 0 && value.percent <= 100))
      throw new RecoveryError("INVALID_ARGUMENT", `A discount percentage must be in (0, 100], got ${value.percent}`);
    return { key: `pct:${value.percent}`, label: `${value.percent}% off` };
  }
  if (!(Number.isInteger(value.amountMinor) && value.amountMinor > 0))
    throw new RecoveryError(
      "INVALID_ARGUMENT",
      `A discount amount must be a positive whole number of minor units, got ${value.amountMinor}`,
    );
  return {
    key: `amt:${value.amountMinor}:${value.currency}`,
    label: `${formatMoney(value.amountMinor, value.currency)} off`,
  };
}

/** Which group a code belongs in, from its value and its offer's expiry in the shop's zone. */
export function discountGroupFor(
  value: GroupedDiscountValue,
  expiresAt: Date | null,
  timeZone: string,
): DiscountGroupSpec {
  const { key, label } = valueLabel(value);
  if (!expiresAt)
    return { key: `${key}|none`, title: `Amends make-goods · ${label} · no end date`, endsAt: null, lastDay: null };
  const monday = mondayOf(dayNumberOf(localDate(expiresAt, timeZone)));
  const week = isoWeekLabel(monday);
  const lastDay = localDateOfDayNumber(monday + 6);
  return {
    key: `${key}|${week}`,
    title: `Amends make-goods · ${label} · until ${lastDay}`,
    endsAt: startOfLocalDay(localDateOfDayNumber(monday + 7), timeZone),
    lastDay,
  };
}

/** Title of the n-th discount of a group (a customer's second code, or a full group, opens slot 2...). */
export function discountGroupTitle(spec: DiscountGroupSpec, slot: number): string {
  return slot <= 1 ? spec.title : `${spec.title} (${slot})`;
}
