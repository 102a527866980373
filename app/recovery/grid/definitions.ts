/**
 * What puts an incident in a row of the grid and a customer in a column, in plain words, from the
 * same settings the classifiers read (severity/severity.ts, tiers/tiers.ts): the matrix's headers
 * say "Major: 6 to 9 days late to ship, …" instead of a bare "Major".
 */
import { formatMoney } from "../money";
import type { DaysLadder, SeveritySettings } from "../severity/settings";
import type { TierSettings } from "../tiers/tiers";
import { SEVERITIES, type Severity, type Tier } from "../vocabulary";

const days = (n: number) => (n === 1 ? "1 day" : `${n} days`);

/** The days of a ladder that give `level`: "3 to 5 days", "10+ days"; null when days never give it. */
function ladderRange(ladder: DaysLadder, level: Severity): string | null {
  const from = ladder[level];
  if (from === null) return null;
  const next = SEVERITIES.slice(SEVERITIES.indexOf(level) + 1)
    .map((s) => ladder[s])
    .find((v): v is number => v !== null);
  if (next === undefined) return `${from}+ days`;
  return next - 1 === from ? days(from) : `${from} to ${next - 1} days`;
}

function refundRange(refund: SeveritySettings["refund"], level: Severity): string | null {
  const { moderateFromPercent: moderate, majorAbovePercent: major } = refund;
  if (level === "minor") return `a refund under ${moderate}% of the order`;
  if (level === "moderate")
    return moderate === major ? `a refund of ${moderate}% of the order` : `a refund of ${moderate}% to ${major}%`;
  if (level === "major") return `a refund over ${major}%`;
  return null;
}

/** Per severity: what gives it before the one-level raises ("6 to 9 days late to ship; a failed delivery"). */
export function severityDefinitions(settings: SeveritySettings): Record<Severity, string> {
  const out = {} as Record<Severity, string>;
  for (const level of SEVERITIES) {
    const late = ladderRange(settings.lateFulfillment, level);
    const delayed = ladderRange(settings.deliveryDelay, level);
    const parts = [
      late ? `${late} late to ship` : null,
      delayed ? `delivery ${delayed} late` : null,
      settings.deliveryFailure === level ? "a failed delivery" : null,
      refundRange(settings.refund, level),
      settings.merchantCancellation === level ? "an order the store cancelled" : null,
    ].filter((p): p is string => p !== null);
    out[level] = parts.length > 0 ? parts.join("; ") : "only by a raise below, or as staff report it";
  }
  return out;
}

/** The raises every type gets: "One level up each for an order over $250 and for a customer with another incident within 90 days …". */
export function severityRaises(settings: SeveritySettings, currency: string, locale = "en"): string {
  const parts = [
    settings.highValueOrderMinor !== null
      ? `an order over ${formatMoney(settings.highValueOrderMinor, currency, locale)}`
      : null,
    settings.repeatCustomerWindowDays > 0
      ? `a customer with another incident within ${days(settings.repeatCustomerWindowDays)}`
      : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return "No raises: the severity is the rule's alone.";
  const each = parts.length > 1 ? "each " : "";
  return `One level up ${each}for ${parts.join(" and for ")} (never above Critical).`;
}

const orders = (n: number) => (n === 1 ? "1 order" : `${n} orders`);

/** Per tier: who is in it, in the order classifyTier checks (VIP, Loyal, then New or Regular). */
export function tierDefinitions(settings: TierSettings, currency: string, locale = "en"): Record<Tier, string> {
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const max = settings.newMaxEarlierOrders;
  const earlier = (n: number) => (n === 1 ? "1 earlier order" : `${n} earlier orders`);
  return {
    VIP: `from ${orders(settings.vip.minOrders)} or ${money(settings.vip.minSpendMinor)} spent`,
    LOYAL: `from ${orders(settings.loyal.minOrders)} or ${money(settings.loyal.minSpendMinor)} spent, below VIP`,
    NEW: `guests, and ${max === 0 ? "no earlier order" : `at most ${earlier(max)}`}, below Loyal`,
    REGULAR: `${max === 0 ? "an earlier order" : `more than ${earlier(max)}`}, below Loyal`,
  };
}
