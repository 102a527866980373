/**
 * The one source of truth for Amends's Flow triggers: per trigger its handle and the fields its
 * extension declares (extensions/recovery-*-trigger/shopify.extension.toml). Payloads are built only
 * through `triggerPayload`, so what the app sends has exactly the declared keys with values of the
 * declared types; tests/unit... (app/shopify/flow/triggers.test.ts) reads every trigger TOML and
 * checks it against these declarations.
 *
 * Flow's rules (Shopify CLI's trigger schema): custom field keys contain only letters and spaces;
 * trigger custom types are boolean, email, single_line_text_field, url, number_decimal (and schema
 * types); reference fields (order_reference, customer_reference, product_reference) have no key and
 * travel in the payload as `order_id` / `customer_id` / `product_id` (numeric ids).
 */

export const TRIGGER_CUSTOM_TYPES = ["boolean", "email", "single_line_text_field", "url", "number_decimal"] as const;
export type TriggerCustomType = (typeof TRIGGER_CUSTOM_TYPES)[number];
export const TRIGGER_REFERENCE_TYPES = ["order_reference", "customer_reference", "product_reference"] as const;
export type TriggerReferenceType = (typeof TRIGGER_REFERENCE_TYPES)[number];

export type TriggerField =
  { type: TriggerReferenceType; description?: string } | { type: TriggerCustomType; key: string; description: string };

export interface TriggerDefinition {
  handle: string;
  /**
   * Merchant-facing name in the Flow editor ("object + past-tense verb", sentence case): the
   * extension's `name`, which Flow's lifecycle callback may carry as flow_trigger_definition_id.
   */
  name: string;
  /** The extension's `uid`, when its TOML has one (none does yet); a lifecycle callback may name it. */
  uid?: string;
  description: string;
  fields: readonly TriggerField[];
}

/** Flow's rule for trigger field keys (letters and spaces only). */
export const TRIGGER_KEY_PATTERN = /^[a-zA-Z ]+$/;
/** Flow's rule for extension handles. */
export const HANDLE_PATTERN = /^[a-z0-9-]{1,30}$/;

const text = <K extends string>(key: K, description: string) =>
  ({ type: "single_line_text_field", key, description }) as const;
const decimal = <K extends string>(key: K, description: string) =>
  ({ type: "number_decimal", key, description }) as const;

/** What both the offer and the incident triggers say about the incident. */
const incidentFields = [
  text("Incident type", "LATE_FULFILLMENT, DELIVERY_DELAY, DELIVERY_FAILURE, REFUND, MERCHANT_CANCELLATION or MANUAL"),
  text("Severity", "minor, moderate, major or critical"),
] as const;

export const OFFER_ISSUED_TRIGGER = "recovery-offer-issued";
export const INCIDENT_DETECTED_TRIGGER = "recovery-incident-detected";
export const FOLLOW_UP_TRIGGER = "recovery-follow-up-due";
export const DIGEST_READY_TRIGGER = "recovery-digest-ready";
export const RATED_LOW_TRIGGER = "recovery-rated-low";

export const FLOW_TRIGGERS = {
  [OFFER_ISSUED_TRIGGER]: {
    handle: OFFER_ISSUED_TRIGGER,
    name: "Recovery offer issued",
    description:
      "Amends issued a make-good to a customer after a service failure. Carries the filled apology message, ready to send.",
    fields: [
      { type: "order_reference", description: "The order the customer was let down on" },
      { type: "customer_reference", description: "The customer who receives the make-good" },
      text("Offer ID", "Amends's id of the offer"),
      text(
        "Offer kind",
        "DISCOUNT_PERCENT, DISCOUNT_FIXED, STORE_CREDIT, GIFT_CARD, GIFT_PRODUCT, NONE or REPLACEMENT",
      ),
      decimal("Offer value", "Face value in the shop currency (for a percent code: what it is worth on the order)"),
      text("Currency", "The shop currency of the offer value (ISO 4217)"),
      text("Code", "The discount code or gift card code; empty for store credit and gifts"),
      text("Amount", "What the customer gets, formatted (20%, $15.00, or the gift)"),
      text("Expires at", "Expiry as an ISO 8601 date-time; empty when it does not expire"),
      ...incidentFields,
      text("Subject", "The apology's subject line, in the customer's language"),
      text("Message", "The filled apology (plain text, may contain line breaks)"),
      text("Locale", "Language of the subject and message"),
    ],
  },
  [INCIDENT_DETECTED_TRIGGER]: {
    handle: INCIDENT_DETECTED_TRIGGER,
    name: "Recovery incident detected",
    description:
      "Amends detected a service failure on an order (late, delayed, failed delivery, refund, store cancellation, or a staff report).",
    fields: [
      { type: "order_reference", description: "The order that went wrong" },
      { type: "customer_reference", description: "The order's customer" },
      text("Incident ID", "Amends's id of the incident"),
      ...incidentFields,
      text("Explanation", "What went wrong and why it has this severity, in one line"),
      text("Order name", "The order's name, such as #1001"),
      // Decision 0113: the acknowledgement rides this trigger, ready for a Send email/SMS action.
      text("Acknowledgement subject", "Subject of the acknowledgement, in the customer's language"),
      text(
        "Acknowledgement",
        "A short note to the customer that we noticed and are on it (plain text, may contain line breaks); never mentions a make-good",
      ),
    ],
  },
  [FOLLOW_UP_TRIGGER]: {
    handle: FOLLOW_UP_TRIGGER,
    name: "Recovery follow up due",
    description: "A make-good went out 2-3 days ago and the customer has not bought again: time to check in.",
    fields: [
      { type: "order_reference", description: "The order the customer was let down on" },
      { type: "customer_reference", description: "The customer to follow up with" },
      text("Offer ID", "Amends's id of the offer"),
      text("Offer kind", "What the customer received"),
      text("Code", "The discount code or gift card code; empty when there is none"),
      text("Incident type", "What went wrong"),
      text("Issued at", "When the make-good went out (ISO 8601)"),
      // Decision 0117: the customer's one-click rating page (signed, single use, expires in 30 days).
      {
        type: "url",
        key: "Rating link",
        description: "The customer's rating page for this recovery; add ?score=1 to 5 for one link per score",
      },
    ],
  },
  [RATED_LOW_TRIGGER]: {
    handle: RATED_LOW_TRIGGER,
    name: "Recovery rated low",
    description: "A customer rated a recovery 1 or 2 out of 5: someone should get in touch.",
    fields: [
      { type: "order_reference", description: "The order the customer was let down on" },
      { type: "customer_reference", description: "The customer who gave the rating" },
      text("Incident ID", "Amends's id of the incident"),
      ...incidentFields,
      decimal("Score", "The customer's rating, 1 (very unhappy) to 5 (very happy)"),
      text("Offer kind", "What the customer received; empty when there was no make-good"),
      text("Rated at", "When the customer rated (ISO 8601)"),
    ],
  },
  // Decision 0118: the weekly root-cause digest, for the merchant (no customer in it).
  [DIGEST_READY_TRIGGER]: {
    handle: DIGEST_READY_TRIGGER,
    name: "Recovery digest ready",
    description:
      "Amends's weekly digest of what caused the most incidents: the top product, carrier or location, its trend, what recovery cost and the one process fix.",
    fields: [
      text("Week", "The shop-local week, Monday to Sunday (2026-11-23 to 2026-11-29)"),
      decimal("Incidents", "Incidents detected that week"),
      text(
        "Top cause",
        "The product, carrier or location behind the most incidents, with its trend; none in a quiet week",
      ),
      text("Process fix", "The one process fix that would remove the most incidents, in a plain sentence"),
      decimal("Recovery cost", "Face value of the make-goods issued for that week's incidents, in the shop currency"),
      text("Currency", "The shop currency of the recovery cost (ISO 4217)"),
      {
        type: "url",
        key: "Dashboard URL",
        description: "Amends's dashboard for that week, each cause linked to its incidents",
      },
    ],
  },
} as const satisfies Record<string, TriggerDefinition>;

export type TriggerHandle = keyof typeof FLOW_TRIGGERS;
type FieldsOf<H extends TriggerHandle> = (typeof FLOW_TRIGGERS)[H]["fields"][number];

type ValueOf<T> = T extends "number_decimal" ? number : T extends "boolean" ? boolean : string;
type ReferenceKey<T> = T extends `${infer O}_reference` ? `${O}_id` : never;

/** The values a trigger's payload needs: reference ids (numeric) and each custom key with its type. */
export type TriggerValues<H extends TriggerHandle> = {
  [F in FieldsOf<H> as F extends { key: infer K extends string } ? K : ReferenceKey<F["type"]>]: F extends {
    key: string;
  }
    ? ValueOf<F["type"]>
    : number;
};

export class TriggerPayloadError extends Error {
  readonly code = "FLOW_TRIGGER_PAYLOAD";
}

/** The payload key a declared field travels under. */
function payloadKey(field: TriggerField): string {
  return "key" in field ? field.key : field.type.replace(/_reference$/, "_id");
}

function matchesType(field: TriggerField, value: unknown): boolean {
  switch (field.type) {
    case "order_reference":
    case "customer_reference":
    case "product_reference":
      return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
    case "number_decimal":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    default:
      return typeof value === "string";
  }
}

/** Check a payload against a trigger's declared fields: exactly the declared keys, each of its type. */
export function payloadProblems(handle: string, payload: Record<string, unknown>): string[] {
  const definition = (FLOW_TRIGGERS as Record<string, TriggerDefinition>)[handle];
  if (!definition) return [`no trigger with handle ${handle}`];
  const problems: string[] = [];
  const declared = new Set(definition.fields.map(payloadKey));
  for (const key of Object.keys(payload)) if (!declared.has(key)) problems.push(`${key}: not declared`);
  for (const field of definition.fields) {
    const key = payloadKey(field);
    if (!(key in payload)) problems.push(`${key}: missing`);
    else if (!matchesType(field, payload[key])) problems.push(`${key}: not a ${field.type}`);
  }
  return problems;
}

/** The payload for flowTriggerReceive; throws (a bug, not a retryable failure) when it does not fit the declaration. */
export function triggerPayload<H extends TriggerHandle>(handle: H, values: TriggerValues<H>): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...values };
  const problems = payloadProblems(handle, payload);
  if (problems.length) throw new TriggerPayloadError(`Flow trigger ${handle}: ${problems.join("; ")}`);
  return payload;
}

/** Numeric id of a GID ("gid://shopify/Order/123" -> 123), as Flow's reference fields want it. */
export function numericId(gidValue: string): number {
  const id = Number(gidValue.split("/").pop());
  if (!Number.isSafeInteger(id) || id <= 0) throw new TriggerPayloadError(`not a Shopify GID: ${gidValue}`);
  return id;
}

/** Flow's titles compared loosely: case and runs of white space do not matter. */
const titleKey = (value: string) => value.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Which trigger a lifecycle callback's flow_trigger_definition_id names, or null for one Amends
 * does not know. Shopify documents the field as "the unique identifier for your Shopify Flow
 * trigger" with a title as its example ("Add row to spreadsheet"), while flowTriggerReceive takes
 * the handle, so both are accepted, and the extension's uid where one is declared (decision 0301).
 */
export function triggerForDefinitionId(id: string): TriggerHandle | null {
  const definitions = Object.values(FLOW_TRIGGERS) as readonly TriggerDefinition[];
  const trimmed = id.trim();
  const byHandle = definitions.find((d) => d.handle === trimmed);
  if (byHandle) return byHandle.handle as TriggerHandle;
  const byUid = definitions.find((d) => d.uid !== undefined && d.uid === trimmed);
  if (byUid) return byUid.handle as TriggerHandle;
  const byTitle = definitions.find((d) => titleKey(d.name) === titleKey(trimmed));
  return byTitle ? (byTitle.handle as TriggerHandle) : null;
}
