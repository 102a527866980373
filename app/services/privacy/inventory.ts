/**
 * Personal-data inventory: every column of every table in prisma/schema.prisma, classified.
 * customers/redact writes `erase` into each personal column of the customer's rows (or deletes the
 * rows), customers/data_request exports the rows of every model marked `exported` (found by its
 * CustomerLink), shop/redact deletes every table's rows of
 * the shop. tests/integration/privacy-inventory.test.ts fails when the schema gains a model or a
 * column that is not classified here. See docs/decisions/0018-privacy-requests.md.
 */
import type { Prisma } from "@prisma/client";

/** A column that holds, or can hold, data about a person (a customer, or a staff member). */
export interface PersonalColumn {
  personal: true;
  /** What it holds about whom. */
  holds: string;
  /**
   * A unique column cannot take one value on every row: customers/redact writes
   * "redacted-<row id>" instead (a key that names nothing). See rowKeyErasures.
   */
  eraseWithRowId?: true;
  /**
   * What customers/redact writes in place of the value on the customer's rows. Absent when the
   * model's rows about the customer are deleted, or when the column is about staff, not customers.
   */
  erase?: Prisma.InputJsonValue | null;
}

export interface PlainColumn {
  personal: false;
  /** Why it is not personal data. */
  why: string;
}

export type ColumnClass = PersonalColumn | PlainColumn;

export interface ModelEntry {
  /**
   * What customers/redact does to the model's rows about the customer: "anonymise" (write each
   * personal column's `erase`), "delete" (the rows go), "none" (the model holds no customer data).
   */
  onCustomerRedact: "anonymise" | "delete" | "none";
  /**
   * Whether customers/data_request exports the customer's rows of this model, and how those rows
   * are found: the export (compliance.server.ts) reads every model marked here, nothing else.
   */
  exported: false | CustomerLink;
  columns: Record<string, ColumnClass>;
}

/** Sets of ids that make up one customer's data (see compliance.server.ts customerScope). */
export type CustomerScopeSet =
  /** the customer's own id */
  | "customer"
  /** the customer's orders: linked to them, or named in the request */
  | "orders"
  /** the incidents of the customer or of those orders */
  | "incidents"
  /** the offers made to the customer or on those incidents */
  | "offers";

/** How a model's rows are tied to one customer, for the data request's export. */
export interface CustomerLink {
  /** The export document's (and its summary's) key for the model's rows. */
  as: string;
  /** A row is the customer's when any of these columns holds an id of the named set. */
  linkedBy: Partial<Record<string, CustomerScopeSet>>;
  /** The column the rows are listed by, oldest first. */
  orderBy: string;
}

const exportAs = (as: string, linkedBy: CustomerLink["linkedBy"], orderBy: string): CustomerLink => ({
  as,
  linkedBy,
  orderBy,
});
const BY_ORDER = { orderGid: "orders" } as const;

const plain = (why: string): PlainColumn => ({ personal: false, why });
const personal = (holds: string, erase?: Prisma.InputJsonValue | null): PersonalColumn =>
  erase === undefined ? { personal: true, holds } : { personal: true, holds, erase };

const ID = plain("a random row id");
const SHOP = plain("the shop's myshopify domain (the merchant, not a person)");
const TIME = plain("a timestamp of the row's own life");
const ORDER_GID = plain(
  "a Shopify order id: a key of the merchant's typed facts, kept for metrics; once the order is unlinked from its customer (OrderRecord.customerGid erased) it names no one",
);
/** Text shown in place of free text erased from a row that must keep a non-empty value. */
export const REDACTED_TEXT = "Redacted at the customer's request.";

export const PERSONAL_DATA_INVENTORY = {
  Session: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      id: plain("the session id (shop and staff user id)"),
      shop: SHOP,
      state: plain("OAuth state nonce"),
      isOnline: plain("a flag"),
      scope: plain("granted access scopes"),
      expires: TIME,
      accessToken: plain("a credential, not personal data (encrypted at rest by the secrets work)"),
      userId: personal(
        "the staff member's Shopify user id (staff, not customers): deleted on uninstall and shop/redact",
      ),
      firstName: personal("the staff member's first name: deleted on uninstall and shop/redact"),
      lastName: personal("the staff member's last name: deleted on uninstall and shop/redact"),
      email: personal("the staff member's email: deleted on uninstall and shop/redact"),
      accountOwner: plain("a flag"),
      locale: plain("the staff member's admin language"),
      collaborator: plain("a flag"),
      emailVerified: plain("a flag"),
      refreshToken: plain("a credential"),
      refreshTokenExpires: TIME,
    },
  },
  Shop: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      shop: SHOP,
      installState: plain("install state"),
      installedAt: TIME,
      uninstalledAt: TIME,
      scopes: plain("granted access scopes"),
      timezone: plain("the shop's time zone"),
      currency: plain("the shop's currency"),
      plan: plain("the shop's Shopify plan"),
      reauthRequiredAt: TIME,
      reauthReason: plain("why the offline token failed (an error code)"),
      customerAccountsV2: plain("a shop fact"),
      customerAccountsCheckedAt: TIME,
      protectedDataDeniedAt: TIME,
      settings: plain(
        "program settings: thresholds, templates, staff user ids and levels, the merchant's SMTP account; no customer data",
      ),
      createdAt: TIME,
      updatedAt: TIME,
    },
  },
  WebhookDelivery: {
    onCustomerRedact: "anonymise",
    exported: exportAs("webhookDeliveries", { customerGid: "customer", orderGid: "orders" }, "receivedAt"),
    columns: {
      id: ID,
      shop: SHOP,
      webhookId: plain("Shopify's delivery id"),
      eventId: plain("Shopify's event id"),
      topic: plain("the webhook topic"),
      apiVersion: plain("the API version"),
      triggeredAt: TIME,
      source: plain("where the delivery came from"),
      rawBody: personal("the payload as received: names, emails, addresses, notes", null),
      orderGid: ORDER_GID,
      customerGid: personal("the customer the delivery was about", null),
      status: plain("processing status"),
      attempts: plain("a count"),
      lastError: personal("a processing error, which can quote the payload", null),
      receivedAt: TIME,
      processedAt: TIME,
      updatedAt: TIME,
    },
  },
  OrderRecord: {
    onCustomerRedact: "anonymise",
    exported: exportAs("orders", BY_ORDER, "createdAt"),
    columns: {
      id: ID,
      shop: SHOP,
      orderGid: ORDER_GID,
      name: plain("the order's number (#1001), the merchant's own sequence"),
      customerGid: personal("the customer who placed the order", null),
      createdAt: TIME,
      sourceUpdatedAt: TIME,
      cancelledAt: TIME,
      cancelReason: plain("one of Shopify's cancel reason codes (customer, fraud, inventory...)"),
      financialStatus: plain("a status code"),
      fulfillmentStatus: plain("a status code"),
      currency: plain("a currency code"),
      totalPrice: plain("an amount: kept for metrics, names no one once the order is unlinked"),
      test: plain("a flag"),
      tags: personal("merchant tags, which can name or describe the customer", []),
      discountCodes: personal("codes the customer used (a make-good code is theirs alone)", []),
      lineItemCount: plain("a count"),
      recordedAt: TIME,
      updatedAt: TIME,
    },
  },
  RefundRecord: {
    onCustomerRedact: "anonymise",
    exported: exportAs("refunds", BY_ORDER, "createdAt"),
    columns: {
      id: ID,
      shop: SHOP,
      refundGid: plain("Shopify's refund id"),
      orderGid: ORDER_GID,
      createdAt: TIME,
      note: personal("the staff's refund note, free text about the customer", null),
      amount: plain("an amount, kept for metrics"),
      currency: plain("a currency code"),
      lineCount: plain("a count"),
      restock: plain("a flag"),
      recordedAt: TIME,
    },
  },
  FulfillmentRecord: {
    onCustomerRedact: "none",
    exported: exportAs("fulfillments", BY_ORDER, "createdAt"),
    columns: {
      id: ID,
      shop: SHOP,
      fulfillmentGid: plain("Shopify's fulfillment id"),
      orderGid: ORDER_GID,
      status: plain("a status code"),
      shipmentStatus: plain("a status code"),
      trackingCompany: plain("the carrier's name"),
      createdAt: TIME,
      sourceUpdatedAt: TIME,
      lineItemCount: plain("a count"),
      recordedAt: TIME,
      updatedAt: TIME,
    },
  },
  FulfillmentEventRecord: {
    onCustomerRedact: "anonymise",
    exported: exportAs("fulfillmentEvents", BY_ORDER, "recordedAt"),
    columns: {
      id: ID,
      shop: SHOP,
      eventGid: plain("Shopify's event id"),
      fulfillmentGid: plain("Shopify's fulfillment id"),
      orderGid: ORDER_GID,
      status: plain("a status code"),
      happenedAt: TIME,
      estimatedDeliveryAt: TIME,
      message: personal("the carrier's message, which can name the recipient or the address", null),
      recordedAt: TIME,
    },
  },
  FulfillmentHoldRecord: {
    onCustomerRedact: "anonymise",
    exported: exportAs("fulfillmentHolds", BY_ORDER, "heldAt"),
    columns: {
      id: ID,
      shop: SHOP,
      holdGid: plain("Shopify's hold id"),
      fulfillmentOrderGid: plain("Shopify's fulfillment order id"),
      orderGid: ORDER_GID,
      reason: plain("one of Shopify's hold reason codes"),
      reasonNotes: personal(
        "the staff's hold note, free text about the customer: no longer stored (the hold does not name its order); old rows linked to an order are erased",
        null,
      ),
      heldAt: TIME,
      recordedAt: TIME,
    },
  },
  ComplianceRequest: {
    onCustomerRedact: "anonymise",
    exported: false,
    columns: {
      id: ID,
      shop: SHOP,
      kind: plain("the request's kind"),
      customerGid: plain(
        "the customer id Shopify named in the request: kept as the record that the request was handled (it is the request's own subject)",
      ),
      orderGids: plain("the order ids Shopify named in the request, kept as the record of the request"),
      result: plain("row counts per table only"),
      deliveryId: plain("the delivery that carried the request"),
      completedAt: TIME,
      export: personal(
        "a data request's export: everything Amends holds on the customer, until downloaded or 30 days",
        null,
      ),
      exportExpiresAt: TIME,
      deliveredAt: TIME,
      deliveredBy: personal("the staff user id who downloaded the export (staff, not customers)"),
    },
  },
  Incident: {
    onCustomerRedact: "anonymise",
    exported: exportAs("incidents", { id: "incidents" }, "detectedAt"),
    columns: {
      id: ID,
      shop: SHOP,
      orderGid: ORDER_GID,
      orderName: plain("the order's number (#1001)"),
      customerGid: personal("the customer the failure happened to", null),
      type: plain("the incident type"),
      severity: plain("a severity level"),
      state: plain("open or closed"),
      openSlot: plain("a uniqueness slot"),
      measure: plain("numbers and codes (days late, refunded share, staff-chosen category)"),
      evidence: personal("the facts behind the detection, which can quote refund notes and carrier messages", {
        redacted: true,
      }),
      rootCause: plain("product, carrier and location ids (the merchant's catalogue and warehouses)"),
      occurredAt: TIME,
      detectedAt: TIME,
      decision: plain("the decision's kind"),
      holdout: plain("a flag"),
      tier: plain("a value tier, kept for metrics; names no one once the customer is unlinked"),
      returnedAt: TIME,
      returnedOrderGid: personal("the customer's later order", null),
      returnedMinor: plain("an amount, kept for metrics"),
      explanation: personal("why it was raised, quoting the customer's history and staff notes", []),
      summary: personal("a one-line summary, which can quote the same", null),
      failureEndedAt: TIME,
      closedAt: TIME,
      createdAt: TIME,
      updatedAt: TIME,
    },
  },
  IncidentEvent: {
    onCustomerRedact: "delete",
    exported: exportAs("incidentEvents", { incidentId: "incidents" }, "at"),
    columns: {
      id: ID,
      shop: SHOP,
      incidentId: plain("the incident"),
      kind: plain("the event's kind"),
      actor: personal("the staff user id who acted (staff, not customers)"),
      at: TIME,
      data: personal("the event's facts: staff reasons, amounts, messages sent"),
      createdAt: TIME,
    },
  },
  Offer: {
    onCustomerRedact: "anonymise",
    exported: exportAs("offers", { id: "offers" }, "createdAt"),
    columns: {
      id: ID,
      shop: SHOP,
      incidentId: plain("the incident"),
      customerGid: personal("the customer it was made to", null),
      kind: plain("the offer's kind"),
      cell: plain(
        "the grid cell that produced it (kind, value, expiry, template key; a replacement's order lines: products, quantities, prices)",
      ),
      gridVersion: plain("a version number"),
      faceValueMinor: plain("an amount, kept for metrics and the budget"),
      currency: plain("a currency code"),
      tier: plain("a value tier, kept for metrics; names no one once the customer is unlinked"),
      status: plain("the offer's status, kept for metrics"),
      approval: plain("the approval route"),
      explanation: personal('why this offer, quoting the customer ("VIP: $1,240 spent in 14 orders")', []),
      // REDACTED_TEXT here is also how issuing knows an offer's customer was erased while it was
      // being issued (issuing.server.ts erasedWhileIssuing): it then records no code.
      summary: personal("a one-line summary naming the customer's history", REDACTED_TEXT),
      expiresAt: TIME,
      issueKey: {
        personal: true,
        holds:
          "the idempotency key, which is also the code given to the customer; rewritten on offers no longer being issued, and by issuing when an offer being issued at the redaction ends",
        eraseWithRowId: true,
      },
      shopifyGid: plain(
        "the discount, gift card or store credit transaction Shopify created: an id in the merchant's store, kept so a late retry finds it",
      ),
      code: personal("the discount or gift card code: a secret given to the customer", null),
      giftOrderGid: personal(
        "the draft order created for a gift product or a replacement, addressed to the customer",
        null,
      ),
      attempts: plain("a count"),
      lastError: personal("an issuing or sending error, which can quote the recipient's address", null),
      decidedBy: personal("the staff user id who decided (staff, not customers)"),
      decidedAt: TIME,
      issuedAt: TIME,
      notifiedAt: TIME,
      followUpAt: TIME,
      redeemedAt: TIME,
      redeemedOrderGid: personal("the customer's order that used the offer", null),
      discountUsedMinor: plain("an amount, kept for metrics"),
      wonBackAt: TIME,
      wonBackOrderGid: personal("the customer's order that counted as won back", null),
      wonBackMinor: plain("an amount, kept for metrics"),
      discountGroupId: plain("the shared discount it belongs to"),
      createdAt: TIME,
      updatedAt: TIME,
    },
  },
  DiscountGroup: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      id: ID,
      shop: SHOP,
      groupKey: plain("value and expiry week of the shared discount"),
      slot: plain("a slot number"),
      title: plain('the shared discount\'s title ("Amends make-goods"), the same for every customer'),
      endsAt: TIME,
      members: plain("a count of codes"),
      discountGid: plain("the shared discount's id in the merchant's store"),
      retiredAt: TIME,
      createdAt: TIME,
      updatedAt: TIME,
    },
  },
  OfferTransition: {
    onCustomerRedact: "anonymise",
    exported: exportAs("offerTransitions", { offerId: "offers" }, "at"),
    columns: {
      id: ID,
      shop: SHOP,
      offerId: plain("the offer"),
      fromStatus: plain("a status"),
      toStatus: plain("a status"),
      actor: personal("the staff user id who acted (staff, not customers)"),
      note: personal("a reason typed by staff (approval note, rejection reason)", null),
      data: plain(
        "budget moves and approval routes (amounts, months, levels) written by the app; heldReservation reads it, so it stays",
      ),
      at: TIME,
    },
  },
  GridVersion: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      shop: SHOP,
      version: plain("a version number"),
      grid: plain("the compensation grid"),
      createdBy: personal("the staff user id who saved it (staff, not customers)"),
      createdAt: TIME,
    },
  },
  BudgetMonth: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      shop: SHOP,
      month: plain("a month"),
      committedMinor: plain("an amount"),
      issuedMinor: plain("an amount"),
    },
  },
  CustomerValue: {
    onCustomerRedact: "delete",
    exported: exportAs("customerValue", { customerGid: "customer" }, "fetchedAt"),
    columns: {
      shop: SHOP,
      customerGid: personal("the customer"),
      amountSpentMinor: personal("what the customer spent"),
      numberOfOrders: personal("how many orders the customer placed"),
      tags: personal("the customer's tags in the merchant's store"),
      fetchedAt: TIME,
    },
  },
  FlowTriggerUsage: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      shop: SHOP,
      trigger: plain("a trigger handle"),
      enabled: plain("a flag"),
      changedAt: TIME,
    },
  },
  FlowActionRun: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      shop: SHOP,
      actionRunId: plain("Flow's run id"),
      handle: plain("the action's handle"),
      incidentId: plain("the incident the run opened or found (the incident is anonymised itself)"),
      outcome: plain("an outcome code"),
      createdAt: TIME,
    },
  },
  AuditEntry: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      id: ID,
      shop: SHOP,
      actor: personal("the staff user id (staff, not customers)"),
      actorName: personal("the staff member's name (staff, not customers)"),
      actorRole: plain("an authority level"),
      action: plain("what was done"),
      subject: plain("a settings section, an offer id or a compliance request id; never customer data"),
      before: plain("settings values only (app/models/audit.server.ts forbids customer data)"),
      after: plain("settings values only (app/models/audit.server.ts forbids customer data)"),
      at: TIME,
    },
  },
  AdminApiBucket: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      shop: SHOP,
      maximumAvailable: plain("a bucket size"),
      currentlyAvailable: plain("points available"),
      restoreRate: plain("points restored per second"),
      observedAt: plain("a time"),
    },
  },
  WebhookDeliveryDay: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      shop: SHOP,
      day: plain("a day"),
      topic: plain("a topic"),
      status: plain("a status"),
      count: plain("a count"),
    },
  },
  RecoveryDigest: {
    onCustomerRedact: "none",
    exported: false,
    columns: {
      id: ID,
      shop: SHOP,
      weekStart: plain("a shop-local date"),
      digest: plain("root causes (product, carrier and location ids and names), counts and money; no customer"),
      flowSentAt: TIME,
      emailSentAt: TIME,
      createdAt: TIME,
      updatedAt: TIME,
    },
  },
  // Decision 0117: the customer's rating of a recovery, their own opinion: customers/redact deletes it
  // (the CSAT figures lose that response), a data request exports it.
  Rating: {
    onCustomerRedact: "delete",
    exported: exportAs("ratings", { incidentId: "incidents" }, "ratedAt"),
    columns: {
      id: ID,
      shop: SHOP,
      incidentId: plain("the incident rated (linked to the customer only through Incident.customerGid)"),
      score: personal("the customer's rating of how the store put things right"),
      channel: plain("web page or storefront app proxy"),
      ratedAt: TIME,
      resolvedAt: TIME,
      resolvedBy: personal("the staff user id who followed up a low rating (staff, not customers)"),
      createdAt: TIME,
    },
  },
  ArmAssignment: {
    // The arm says which make-good a cell's experiment gave; with the incident unlinked it names no one.
    onCustomerRedact: "none",
    exported: false,
    columns: {
      id: ID,
      shop: SHOP,
      incidentId: plain("the incident"),
      experimentKey: plain("a hash of the cell's arms"),
      arm: plain("an arm number, kept for the experiment's readout"),
      label: plain("the merchant's name for the arm"),
      arms: plain("how many arms the experiment has"),
      timing: plain("when the arm's make-good is issued: at once or the next morning"),
      timingOnly: plain("whether the experiment's arms differ only in timing"),
      gridVersion: plain("a version number"),
      createdAt: TIME,
    },
  },
} as const satisfies Record<string, ModelEntry>;

export type InventoriedModel = keyof typeof PERSONAL_DATA_INVENTORY;

/**
 * The values customers/redact writes into a model's rows about the customer: one entry per
 * personal column that has an `erase`. Adding a personal column with `erase` to the inventory is
 * enough for redaction to erase it.
 */
export function erasureOf(model: InventoriedModel): Record<string, Prisma.InputJsonValue | null> {
  const entry: ModelEntry = PERSONAL_DATA_INVENTORY[model];
  const data: Record<string, Prisma.InputJsonValue | null> = {};
  for (const [column, c] of Object.entries(entry.columns)) {
    if (c.personal && c.erase !== undefined) data[column] = c.erase;
  }
  return data;
}

/** The personal columns of a model that customers/redact rewrites as "redacted-<row id>". */
export function rowKeyErasures(model: InventoriedModel): string[] {
  const entry: ModelEntry = PERSONAL_DATA_INVENTORY[model];
  return Object.entries(entry.columns)
    .filter(([, c]) => c.personal && c.eraseWithRowId)
    .map(([column]) => column);
}

/** The models customers/data_request exports, with how each is tied to the customer. */
export function exportedModels(): Array<{ model: InventoriedModel; link: CustomerLink }> {
  return (Object.entries(PERSONAL_DATA_INVENTORY) as Array<[InventoriedModel, ModelEntry]>).flatMap(([model, entry]) =>
    entry.exported ? [{ model, link: entry.exported }] : [],
  );
}
