/**
 * Shopify's protected customer data, per shop, as an app's approval sets it
 * (shopify.dev/docs/apps/launch/protected-customer-data):
 * - "none": no protected customer data. Order, customer, fulfillment, refund, draft order and gift
 *   card objects are refused (null and an error), and webhook subscriptions to their topics are
 *   refused (`shopify app deploy` will not register them): nothing is delivered.
 * - "level1": those objects, without the protected fields (name, email, phone, address).
 * - "level2": level 1 plus the protected fields the app was approved for, each requested on its own.
 * An unapproved field reads null with an error at its path ("This app is not approved to access
 * the Customer object...", HTTP 200), and is null in webhook payloads.
 *
 * The sandbox always enforces the shop's level. Its default is what Amends declares in the
 * Partner Dashboard (docs/decisions/0015-protected-customer-data.md): level 2 with name and email,
 * so phone and address are refused everywhere. A test of an unapproved shop sets "level1" or "none".
 */
import { GraphQLError, getNamedType, type GraphQLOutputType } from "graphql";

export type ProtectedDataLevel = "none" | "level1" | "level2";
export type ProtectedField = "name" | "email" | "phone" | "address";

export interface ProtectedDataAccess {
  level: ProtectedDataLevel;
  /** Level 2 only: the protected fields the app is approved for. */
  fields: readonly ProtectedField[];
}

/** What Amends requests (decision 0015): the default for every sandbox shop. */
export const AMENDS_DECLARED_ACCESS: ProtectedDataAccess = { level: "level2", fields: ["name", "email"] };
export const LEVEL_1_ACCESS: ProtectedDataAccess = { level: "level1", fields: [] };
export const NO_ACCESS: ProtectedDataAccess = { level: "none", fields: [] };
export const FULL_ACCESS: ProtectedDataAccess = { level: "level2", fields: ["name", "email", "phone", "address"] };

export function accessOf(shop: { protectedData?: ProtectedDataAccess } | undefined): ProtectedDataAccess {
  return shop?.protectedData ?? AMENDS_DECLARED_ACCESS;
}

export function allows(access: ProtectedDataAccess, field: ProtectedField): boolean {
  return access.level === "level2" && access.fields.includes(field);
}

/** Admin API object types that are protected customer data as a whole (refused below level 1). */
const PROTECTED_TYPES = new Set([
  "Order",
  "Customer",
  "DraftOrder",
  "Fulfillment",
  "FulfillmentOrder",
  "Refund",
  "GiftCard",
  "StoreCreditAccount",
]);

/** Admin API fields that are protected customer fields, by type and field name. */
const PROTECTED_FIELDS: Record<string, ProtectedField> = {
  "Customer.firstName": "name",
  "Customer.lastName": "name",
  "Customer.displayName": "name",
  "Customer.email": "email",
  "Customer.phone": "phone",
  "CustomerEmailAddress.emailAddress": "email",
  "CustomerPhoneNumber.phoneNumber": "phone",
  "MailingAddress.firstName": "name",
  "MailingAddress.lastName": "name",
  "MailingAddress.name": "name",
  "MailingAddress.address1": "address",
  "MailingAddress.address2": "address",
  "MailingAddress.zip": "address",
  "MailingAddress.latitude": "address",
  "MailingAddress.longitude": "address",
  "MailingAddress.formatted": "address",
  "MailingAddress.phone": "phone",
  "Order.email": "email",
  "Order.phone": "phone",
  "DraftOrder.email": "email",
  "DraftOrder.phone": "phone",
};

const DOCS = "https://shopify.dev/docs/apps/launch/protected-customer-data";

export function notApproved(): GraphQLError {
  return new GraphQLError(`This app is not approved to access the Customer object. See ${DOCS} for more details.`, {
    extensions: { code: "ACCESS_DENIED", documentation: DOCS },
  });
}

/** Whether the shop's access refuses this field (the resolver then throws notApproved()). */
export function refusesField(
  access: ProtectedDataAccess,
  parentType: string,
  fieldName: string,
  returnType: GraphQLOutputType,
): boolean {
  if (access.level === "none" && PROTECTED_TYPES.has(getNamedType(returnType).name)) return true;
  const field = PROTECTED_FIELDS[`${parentType}.${fieldName}`];
  return field !== undefined && !allows(access, field);
}

/** Webhook topics whose payloads are protected customer data (compliance and app topics are not). */
export function isProtectedTopic(topic: string): boolean {
  return (
    /^(orders|refunds|fulfillments|fulfillment_events|fulfillment_orders|fulfillment_holds|customers|draft_orders|checkouts|order_transactions)\//.test(
      topic,
    ) && !["customers/data_request", "customers/redact"].includes(topic)
  );
}

/** REST keys by the protected field they carry, inside an address object. */
const ADDRESS_KEYS: Record<string, ProtectedField> = {
  first_name: "name",
  last_name: "name",
  name: "name",
  address1: "address",
  address2: "address",
  zip: "address",
  latitude: "address",
  longitude: "address",
  phone: "phone",
};
/** ...inside a customer object. */
const CUSTOMER_KEYS: Record<string, ProtectedField> = {
  first_name: "name",
  last_name: "name",
  email: "email",
  phone: "phone",
};
/** ...anywhere else in a protected payload (an order's email, a nested fulfillment's, a shipping line's phone). */
const RECORD_KEYS: Record<string, ProtectedField> = {
  email: "email",
  contact_email: "email",
  phone: "phone",
};
const ADDRESS_CONTAINERS = new Set([
  "shipping_address",
  "billing_address",
  "default_address",
  "destination",
  "addresses",
]);

type Keys = Record<string, ProtectedField>;

function redactIn(value: unknown, keys: Keys, access: ProtectedDataAccess): unknown {
  if (Array.isArray(value)) return value.map((v) => redactIn(v, keys, access));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = keys[key];
    if (field && !allows(access, field) && (typeof v === "string" || typeof v === "number")) out[key] = null;
    else if (ADDRESS_CONTAINERS.has(key)) out[key] = redactIn(v, ADDRESS_KEYS, access);
    else if (key === "customer") out[key] = redactIn(v, CUSTOMER_KEYS, access);
    else out[key] = redactIn(v, RECORD_KEYS, access);
  }
  return out;
}

/**
 * The payload as an app with this access receives it: unapproved protected fields null, or null
 * for the whole delivery when the app may not subscribe to the topic at all (level "none").
 */
export function redactWebhookPayload(topic: string, payload: unknown, access: ProtectedDataAccess): unknown | null {
  if (!isProtectedTopic(topic)) return payload;
  if (access.level === "none") return null;
  if (Array.isArray(payload) || typeof payload !== "object" || payload === null) return payload;
  const top = topic.startsWith("customers/") ? CUSTOMER_KEYS : RECORD_KEYS;
  return redactIn(payload, top, access);
}
