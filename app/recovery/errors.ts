/**
 * Errors the domain core throws when a caller breaks a precondition (bad
 * settings, a missing price). Each carries a stable `code` so callers can map
 * it without matching on message text. Expected business outcomes are never
 * errors: they are values of the closed unions the functions return.
 */
export type RecoveryErrorCode =
  | "INVALID_ARGUMENT"
  | "INVALID_TIME_ZONE"
  | "INVALID_CURRENCY"
  | "INVALID_AMOUNT"
  | "NO_BUSINESS_DAYS"
  | "GIFT_PRICE_MISSING"
  | "UNKNOWN_PLACEHOLDER"
  | "MISSING_PLACEHOLDER_VALUE"
  | "MALFORMED_TEMPLATE"
  | "UNKNOWN_TEMPLATE"
  | "REPLACEMENT_LINES_MISSING";

export class RecoveryError extends Error {
  readonly code: RecoveryErrorCode;

  constructor(code: RecoveryErrorCode, message: string) {
    super(message);
    this.name = "RecoveryError";
    this.code = code;
  }
}

export function invalidArgument(message: string): RecoveryError {
  return new RecoveryError("INVALID_ARGUMENT", message);
}
