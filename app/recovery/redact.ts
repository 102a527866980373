/**
 * Personal data out of free text and log records, by pattern (decision 0019): what the logger
 * writes, and error messages stored for staff (Offer.lastError, WebhookDelivery.lastError, the
 * queue's last_error). Mail servers put the recipient's address, sometimes with the display name,
 * into their refusals ("550 5.1.1 <ada@example.com>: Recipient address rejected"); payload
 * validation messages can quote a customer's fields.
 *
 * A second line of defence: code logs ids, never payloads. Over-redaction (an npm "pkg@1.2.3" in a
 * stack trace) is accepted; a missed address is not.
 */

const EMAIL_TEXT =
  "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+";
/** A mailbox with its display name: `"Ada Lovelace" <ada@x.org>` or `Ada Lovelace <ada@x.org>`. */
const NAMED_MAILBOX = new RegExp(`(?:"[^"\\n]{0,200}"|(?:\\p{Lu}[\\p{L}'’.-]*\\s+){1,4})\\s*<${EMAIL_TEXT}>`, "gu");
const EMAIL = new RegExp(EMAIL_TEXT, "g");
/** Known name fields quoted in text: `"first_name":"Ada"`, `lastName: Lovelace`, `customer_name='Ada L'`. */
const NAME_FIELD =
  /(["']?\b(?:first_?name|last_?name|full_?name|customer_?name|display_?name|billing_?name|shipping_?name|recipient_?name)["']?\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|[^,;}\]\n]+)/gi;
/** International phone numbers (E.164 and written forms): a plus, then digits with separators. */
const PHONE = /\+\d[\d ().-]{6,}\d/g;

export const REDACTED = {
  email: "[email]",
  name: "[name]",
  phone: "[phone]",
} as const;

/** Field names whose values are personal data wherever they appear in a log record. */
const PERSONAL_KEYS = new Set(
  [
    "email",
    "emailAddress",
    "phone",
    "firstName",
    "lastName",
    "first_name",
    "last_name",
    "fullName",
    "customerName",
    "displayName",
    "recipientName",
    "address1",
    "address2",
    "rejected",
    "accepted",
    "envelope",
  ].map((k) => k.toLowerCase()),
);

export function redactPersonalData(text: string): string {
  return text
    .replace(NAMED_MAILBOX, REDACTED.email)
    .replace(EMAIL, REDACTED.email)
    .replace(NAME_FIELD, (_m, field: string) => `${field}${REDACTED.name}`)
    .replace(PHONE, REDACTED.phone);
}

const MAX_DEPTH = 8;

/**
 * A log record with personal data taken out: strings redacted by pattern, values of personal
 * fields replaced, errors reduced to type, message, stack and code (a mail error's `rejected`,
 * `envelope` and `response` carry addresses). Returns copies; cycles and depth are bounded.
 */
export function redactRecord(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") return redactPersonalData(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value) || depth > MAX_DEPTH) return "[omitted]";
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      type: value.name,
      message: redactPersonalData(value.message),
      ...(value.stack ? { stack: redactPersonalData(value.stack) } : {}),
      ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
      ...(value.cause !== undefined ? { cause: redactRecord(value.cause, depth + 1, seen) } : {}),
    };
  }
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => redactRecord(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      PERSONAL_KEYS.has(key.toLowerCase()) && v !== null && v !== undefined
        ? "[redacted]"
        : redactRecord(v, depth + 1, seen);
  }
  return out;
}
