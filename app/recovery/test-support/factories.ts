/**
 * In-memory builders for the recovery tests: a plausible default for every
 * field, overridden per test. Only tests import this file.
 */
import type { DecisionIncident, DecisionInput } from "../decide";
import { DEFAULT_GRID, type GridVersion } from "../grid";
import { DEFAULT_DECISION_SETTINGS } from "../guardrails";
import type {
  FulfillmentEventFacts,
  FulfillmentFacts,
  FulfillmentOrderFacts,
  OrderFacts,
  RefundFacts,
} from "../incidents";
import type { IncidentRecord, OfferRecord } from "../metrics";
import { classifyTier } from "../tiers";

export const NY = "America/New_York";

export function buildOrder(overrides: Partial<OrderFacts> = {}): OrderFacts {
  return {
    id: "gid://shopify/Order/1001",
    name: "#1001",
    createdAt: new Date("2026-03-02T15:00:00Z"), // Monday 10:00 in New York
    customerId: "gid://shopify/Customer/7",
    customerTags: [],
    currency: "USD",
    totals: { subtotalMinor: 20_000, totalMinor: 24_000 },
    test: false,
    tags: [],
    cancelledAt: null,
    cancelReason: null,
    fulfillmentOrders: [buildFulfillmentOrder()],
    fulfillments: [],
    refunds: [],
    productIds: ["gid://shopify/Product/1"],
    ...overrides,
  };
}

export function buildFulfillmentOrder(overrides: Partial<FulfillmentOrderFacts> = {}): FulfillmentOrderFacts {
  return {
    id: "gid://shopify/FulfillmentOrder/1",
    state: "unfulfilled",
    fulfillAt: null,
    fulfillBy: null,
    maxDeliveryAt: null,
    location: "Main warehouse",
    ...overrides,
  };
}

export function buildEvent(
  status: FulfillmentEventFacts["status"],
  happenedAt: string,
  estimatedDeliveryAt: string | null = null,
): FulfillmentEventFacts {
  return {
    id: null,
    status,
    happenedAt: new Date(happenedAt),
    estimatedDeliveryAt: estimatedDeliveryAt ? new Date(estimatedDeliveryAt) : null,
    message: null,
  };
}

export function buildFulfillment(overrides: Partial<FulfillmentFacts> = {}): FulfillmentFacts {
  return {
    id: "gid://shopify/Fulfillment/1",
    fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1",
    createdAt: new Date("2026-03-03T15:00:00Z"),
    cancelled: false,
    carrier: "UPS",
    location: "Main warehouse",
    events: [],
    ...overrides,
  };
}

export function buildRefund(overrides: Partial<RefundFacts> = {}): RefundFacts {
  return {
    id: "gid://shopify/Refund/1",
    createdAt: new Date("2026-03-05T15:00:00Z"),
    amountMinor: 6_000,
    createdByAmends: false,
    linkedToReturn: false,
    note: "Mug arrived chipped",
    ...overrides,
  };
}

export const GRID_V3: GridVersion = {
  version: 3,
  grid: DEFAULT_GRID,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  createdBy: "owner",
};

export function buildIncident(overrides: Partial<DecisionIncident> = {}): DecisionIncident {
  return {
    id: "incident-0001",
    type: "LATE_FULFILLMENT",
    measure: { kind: "BUSINESS_DAYS_LATE", days: 6 },
    severity: "major",
    occurredAt: new Date("2026-03-05T05:00:00Z"),
    detectedAt: new Date("2026-03-12T14:00:00Z"),
    orderId: "gid://shopify/Order/1001",
    orderName: "#1001",
    orderTotalMinor: 24_000,
    orderSubtotalMinor: 20_000,
    customerId: "gid://shopify/Customer/7",
    excluded: { testOrder: false, orderExcluded: false, customerExcluded: false },
    cancelReason: null,
    alreadyCompensated: false,
    ...overrides,
  } as DecisionIncident;
}

export function buildDecisionInput(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    incident: buildIncident(),
    tier: classifyTier({ amountSpentMinor: 124_000, numberOfOrders: 14 }),
    gridVersion: GRID_V3,
    settings: { ...DEFAULT_DECISION_SETTINGS, holdoutShare: 0 },
    shop: { currency: "USD", timeZone: NY, locale: "en-US" },
    state: { customerOffers: [], monthToDateIssuedMinor: 56_400, committedMinor: 0 },
    now: new Date("2026-03-12T14:00:00Z"),
    ...overrides,
  };
}

export function buildIncidentRecord(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id: "i1",
    type: "LATE_FULFILLMENT",
    severity: "moderate",
    occurredAt: new Date("2026-03-02T15:00:00Z"),
    detectedAt: new Date("2026-03-02T16:00:00Z"),
    customerId: "gid://shopify/Customer/7",
    eligible: true,
    holdout: false,
    wonBack: false,
    wonBackOrder: null,
    productIds: [],
    carriers: [],
    locations: [],
    ...overrides,
  };
}

export function buildOfferRecord(overrides: Partial<OfferRecord> = {}): OfferRecord {
  return {
    id: "o1",
    incidentId: "i1",
    kind: "DISCOUNT_PERCENT",
    status: "ISSUED",
    approval: "AUTO",
    issuedAt: new Date("2026-03-02T18:00:00Z"),
    expiresAt: new Date("2026-05-01T04:00:00Z"),
    faceValueMinor: 4_000,
    redeemed: false,
    discountUsedMinor: 0,
    ...overrides,
  };
}
