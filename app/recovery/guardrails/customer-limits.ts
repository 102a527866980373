/**
 * Per-customer limits: one offer per cooldown window and a yearly value cap.
 * "Yearly" is the rolling 365 days before the decision, not the calendar year,
 * so a customer cannot collect a full cap in December and another in January.
 */
import type { MinorUnits } from "../money";
import { MS_PER_DAY } from "../time";

/** An offer this customer already has: issued, or approved or pending and not yet issued. */
export interface CustomerOfferRecord {
  issuedAt: Date;
  faceValueMinor: MinorUnits;
}

export interface CustomerLimitsSettings {
  cooldownDays: number;
  yearlyCapPerCustomerMinor: MinorUnits | null;
}

export interface CustomerLimitsCheck {
  offersInCooldown: number;
  lastOfferAt: Date | null;
  lastYearMinor: MinorUnits;
  afterMinor: MinorUnits;
  cooldownHit: boolean;
  capHit: boolean;
}

const within = (date: Date, now: Date, days: number) =>
  date.getTime() <= now.getTime() && date.getTime() > now.getTime() - days * MS_PER_DAY;

export function customerLimitsCheck(
  offers: readonly CustomerOfferRecord[],
  valueMinor: MinorUnits,
  now: Date,
  settings: CustomerLimitsSettings,
): CustomerLimitsCheck {
  const inCooldown = offers.filter((o) => within(o.issuedAt, now, settings.cooldownDays));
  const lastYearMinor = offers
    .filter((o) => within(o.issuedAt, now, 365))
    .reduce((sum, o) => sum + o.faceValueMinor, 0);
  const latest = Math.max(...offers.map((o) => o.issuedAt.getTime()).filter((t) => t <= now.getTime()));
  const afterMinor = lastYearMinor + valueMinor;
  return {
    offersInCooldown: inCooldown.length,
    lastOfferAt: Number.isFinite(latest) ? new Date(latest) : null,
    lastYearMinor,
    afterMinor,
    cooldownHit: inCooldown.length > 0,
    capHit: settings.yearlyCapPerCustomerMinor !== null && afterMinor > settings.yearlyCapPerCustomerMinor,
  };
}
