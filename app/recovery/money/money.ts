/**
 * Money in the domain is an integer count of the shop currency's minor units
 * (cents for USD, yen for JPY, fils for KWD), held in a plain `number`. Shopify
 * sends decimal strings; they are converted by string arithmetic, never by
 * multiplying floats, so 0.1 + 0.2 style errors cannot enter a total, a cap or
 * a budget. See docs/decisions/0100-money-in-minor-units.md.
 */
import { RecoveryError } from "../errors";

/** An integer amount of minor units of the shop currency. */
export type MinorUnits = number;

const exponents = new Map<string, number>();

/** Digits after the decimal point for an ISO 4217 currency (2 for USD, 0 for JPY, 3 for KWD). */
export function currencyExponent(currency: string): number {
  const cached = exponents.get(currency);
  if (cached !== undefined) return cached;
  if (!/^[A-Z]{3}$/.test(currency))
    throw new RecoveryError("INVALID_CURRENCY", `Not an ISO 4217 currency code: "${currency}"`);
  const exponent =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  exponents.set(currency, exponent);
  return exponent;
}

export function assertMinorUnits(value: number, what = "amount"): void {
  if (!Number.isSafeInteger(value)) {
    throw new RecoveryError("INVALID_AMOUNT", `${what} must be a whole number of minor units, got ${value}`);
  }
}

/**
 * "12.50" -> 1250 for USD. Trailing zeros beyond the currency's precision are
 * accepted ("1200.0" JPY); any other extra digit is an error rather than a
 * silent rounding.
 */
export function toMinorUnits(amount: string, currency: string): MinorUnits {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RecoveryError("INVALID_AMOUNT", `Not a decimal amount: "${amount}"`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const exponent = currencyExponent(currency);
  const kept = fraction.slice(0, exponent).padEnd(exponent, "0");
  if (/[^0]/.test(fraction.slice(exponent))) {
    throw new RecoveryError("INVALID_AMOUNT", `${amount} has more precision than ${currency} allows`);
  }
  const minor = Number(`${whole}${kept}`);
  assertMinorUnits(minor);
  return sign === "-" && minor !== 0 ? -minor : minor;
}

/** 1250 -> "12.50" for USD: an exact decimal string (also what Intl and Shopify accept). */
export function fromMinorUnits(minor: MinorUnits, currency: string): `${number}` {
  assertMinorUnits(minor);
  const exponent = currencyExponent(currency);
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const sign = minor < 0 ? "-" : "";
  return (exponent === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`) as `${number}`;
}

/**
 * Human money in the shop currency: "$1,240" for whole amounts, "$12.50"
 * otherwise (staff read explanations quickly; ".00" on every figure is noise).
 */
export function formatMoney(minor: MinorUnits, currency: string, locale = "en"): string {
  const exponent = currencyExponent(currency);
  const whole = minor % 10 ** exponent === 0;
  const format = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: whole ? 0 : exponent,
    maximumFractionDigits: exponent,
  });
  return format.format(fromMinorUnits(minor, currency));
}

/**
 * `percent` % of `minor`, rounded half up to a whole minor unit. The percent
 * may carry two decimals (12.5%); the product is taken in BigInt so no float
 * rounding happens on large baskets.
 */
export function percentOf(minor: MinorUnits, percent: number): MinorUnits {
  assertMinorUnits(minor);
  const basisPoints = Math.round(percent * 100);
  if (!Number.isFinite(percent) || Math.abs(percent * 100 - basisPoints) > 1e-6) {
    throw new RecoveryError("INVALID_AMOUNT", `A percent may have at most two decimals, got ${percent}`);
  }
  const product = BigInt(minor) * BigInt(basisPoints);
  const rounded = (product * 2n + 10_000n) / 20_000n;
  return Number(product < 0n ? -((-product * 2n + 10_000n) / 20_000n) : rounded);
}

export function sumMinor(values: readonly MinorUnits[]): MinorUnits {
  return values.reduce((total, value) => total + value, 0);
}
