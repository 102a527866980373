import { expect, test } from "vitest";
import {
  buildEvent,
  buildFulfillment,
  buildFulfillmentOrder,
  buildOrder,
  buildRefund,
  NY,
} from "../test-support/factories";
import { carrierEventStatus } from "./facts";
import { detectDeliveryDelay, detectDeliveryFailure } from "./delivery";
import { detectIncidents, manualSignal } from "./detect";
import { detectLateFulfillment, handlingDeadline, shipByDeadline } from "./late-fulfillment";
import { reconcileIncident } from "./reconcile";
import { detectMerchantCancellation, detectRefund } from "./refund-and-cancellation";
import { DEFAULT_DETECTION_SETTINGS as settings, detectionSettingsSchema } from "./settings";

const at = (iso: string) => ({ now: new Date(iso), timeZone: NY });

// Order placed Monday 2 March 2026, 10:00 New York; 2 handling days: due end of Wednesday 4 March.
test.each([
  ["2026-03-04T23:00:00Z", null], // Wednesday 18:00: still on time
  ["2026-03-05T05:00:00Z", 1], // Thursday 00:00
  ["2026-03-06T20:00:00Z", 2], // Friday
  ["2026-03-07T20:00:00Z", 2], // Saturday does not count
  ["2026-03-12T14:00:00Z", 6], // next Thursday
  ["2026-03-18T14:00:00Z", 10],
])("unfulfilled at %s is %s business days late", (now, days) => {
  const signal = detectLateFulfillment(buildOrder(), at(now), settings);
  if (days === null) return expect(signal).toBeNull();
  expect(signal?.measure).toEqual({ kind: "BUSINESS_DAYS_LATE", days });
  expect(signal?.occurredAt.toISOString()).toBe("2026-03-05T05:00:00.000Z"); // the moment after the deadline
});

test("a partly fulfilled order is still late; a fulfilled or cancelled one is not", () => {
  const now = at("2026-03-06T20:00:00Z");
  expect(
    detectLateFulfillment(
      buildOrder({ fulfillmentOrders: [buildFulfillmentOrder({ state: "partial" })] }),
      now,
      settings,
    ),
  ).not.toBeNull();
  expect(
    detectLateFulfillment(
      buildOrder({ fulfillmentOrders: [buildFulfillmentOrder({ state: "fulfilled" })] }),
      now,
      settings,
    ),
  ).toBeNull();
  expect(
    detectLateFulfillment(
      buildOrder({ fulfillmentOrders: [buildFulfillmentOrder({ state: "closed" })] }),
      now,
      settings,
    ),
  ).toBeNull();
  expect(
    detectLateFulfillment(
      buildOrder({ cancelledAt: new Date("2026-03-03T00:00:00Z"), cancelReason: "inventory" }),
      now,
      settings,
    ),
  ).toBeNull();
});

test("an explicit fulfillBy wins over the handling time, whether earlier or later", () => {
  const earlier = buildFulfillmentOrder({ fulfillBy: new Date("2026-03-03T22:00:00Z") });
  const later = buildFulfillmentOrder({ fulfillBy: new Date("2026-03-20T22:00:00Z") });
  expect(shipByDeadline(buildOrder(), earlier, settings, NY)).toMatchObject({ source: "FULFILL_BY" });
  expect(
    detectLateFulfillment(buildOrder({ fulfillmentOrders: [earlier] }), at("2026-03-04T12:00:00Z"), settings)?.measure
      .days,
  ).toBe(1);
  expect(
    detectLateFulfillment(buildOrder({ fulfillmentOrders: [later] }), at("2026-03-12T14:00:00Z"), settings),
  ).toBeNull();
});

test("a scheduled fulfillment order starts its handling time at fulfillAt", () => {
  const preorder = buildFulfillmentOrder({ fulfillAt: new Date("2026-04-01T14:00:00Z") });
  expect(shipByDeadline(buildOrder(), preorder, settings, NY).at.toISOString()).toBe("2026-04-04T03:59:59.999Z");
  expect(
    detectLateFulfillment(buildOrder({ fulfillmentOrders: [preorder] }), at("2026-03-20T14:00:00Z"), settings),
  ).toBeNull();
});

test("the timer deadline for a new order is created + handling days, end of day, shop time", () => {
  expect(handlingDeadline(new Date("2026-03-06T15:00:00Z"), settings, NY).toISOString()).toBe(
    "2026-03-11T03:59:59.999Z",
  );
});

test("late-fulfillment evidence names the late fulfillment orders and the deadline", () => {
  const signal = detectLateFulfillment(buildOrder(), at("2026-03-06T20:00:00Z"), settings);
  expect(signal?.evidence).toMatchObject({
    handlingDays: 2,
    lateFulfillmentOrders: [
      {
        id: "gid://shopify/FulfillmentOrder/1",
        deadline: "2026-03-05T04:59:59.999Z",
        deadlineSource: "HANDLING_TIME",
        businessDaysLate: 2,
      },
    ],
  });
  expect(signal?.rootCause.locations).toEqual(["Main warehouse"]);
  expect(JSON.parse(JSON.stringify(signal?.evidence))).toEqual(signal?.evidence);
});

const shipped = (events: ReturnType<typeof buildEvent>[], maxDeliveryAt: string | null = "2026-03-06T22:00:00Z") =>
  buildOrder({
    fulfillmentOrders: [
      buildFulfillmentOrder({ state: "fulfilled", maxDeliveryAt: maxDeliveryAt ? new Date(maxDeliveryAt) : null }),
    ],
    fulfillments: [buildFulfillment({ events })],
  });

test.each([
  ["in transit, on time", [buildEvent("in_transit", "2026-03-04T10:00:00Z")], "2026-03-06T20:00:00Z", null],
  ["in transit past the promised date", [buildEvent("in_transit", "2026-03-04T10:00:00Z")], "2026-03-09T20:00:00Z", 3],
  [
    "estimate pushed by 4 days",
    [buildEvent("in_transit", "2026-03-04T10:00:00Z", "2026-03-10T22:00:00Z")],
    "2026-03-05T20:00:00Z",
    4,
  ],
  ["carrier says delayed", [buildEvent("delayed", "2026-03-05T10:00:00Z")], "2026-03-05T20:00:00Z", 1],
  ["delivered late", [buildEvent("delivered", "2026-03-11T18:00:00Z")], "2026-03-20T20:00:00Z", 5],
  [
    "delivered on time after a delay scare",
    [buildEvent("delayed", "2026-03-05T10:00:00Z"), buildEvent("delivered", "2026-03-06T18:00:00Z")],
    "2026-03-20T20:00:00Z",
    null,
  ],
])("delivery: %s", (_name, events, now, days) => {
  const signal = detectDeliveryDelay(shipped(events), at(now), settings);
  if (days === null) return expect(signal).toBeNull();
  expect(signal?.measure).toEqual({ kind: "DAYS_LATE", days });
});

test("without a checkout promise the carrier's first estimate is the promise", () => {
  const events = [
    buildEvent("in_transit", "2026-03-04T10:00:00Z", "2026-03-06T22:00:00Z"),
    buildEvent("in_transit", "2026-03-06T10:00:00Z", "2026-03-09T22:00:00Z"),
  ];
  const signal = detectDeliveryDelay(shipped(events, null), at("2026-03-06T20:00:00Z"), settings);
  expect(signal?.measure.days).toBe(3);
  expect(signal?.occurredAt.toISOString()).toBe("2026-03-06T10:00:00.000Z");
});

test.each([
  ["failure", [buildEvent("failure", "2026-03-05T10:00:00Z")], "FAILURE"],
  ["one attempted delivery", [buildEvent("attempted_delivery", "2026-03-05T10:00:00Z")], null],
  [
    "two attempted deliveries",
    [
      buildEvent("attempted_delivery", "2026-03-05T10:00:00Z"),
      buildEvent("attempted_delivery", "2026-03-06T10:00:00Z"),
    ],
    "REPEATED_ATTEMPTS",
  ],
  [
    "returned to sender",
    [buildEvent("failure", "2026-03-05T10:00:00Z"), buildEvent("returned_to_sender", "2026-03-08T10:00:00Z")],
    "RETURNED_TO_SENDER",
  ],
])("delivery failure: %s", (_name, events, cause) => {
  const signal = detectDeliveryFailure(shipped(events), at("2026-03-09T20:00:00Z"), settings);
  if (cause === null) return expect(signal).toBeNull();
  expect(signal?.measure.cause).toBe(cause);
  expect(signal?.rootCause.carriers).toEqual(["UPS"]);
});

test("a failed parcel opens a failure, not also a delay", () => {
  const order = shipped([buildEvent("failure", "2026-03-05T10:00:00Z")]);
  const detection = detectIncidents(order, at("2026-03-12T20:00:00Z"), settings);
  expect(detection.kind === "SIGNALS" && detection.signals.map((s) => s.type)).toEqual(["DELIVERY_FAILURE"]);
});

test("a cancelled parcel is ignored", () => {
  const order = buildOrder({
    fulfillments: [buildFulfillment({ cancelled: true, events: [buildEvent("failure", "2026-03-05T10:00:00Z")] })],
  });
  expect(detectDeliveryFailure(order, at("2026-03-09T20:00:00Z"), settings)).toBeNull();
});

test.each([
  ["failure", "Returned to sender: address unknown", "returned_to_sender"],
  ["IN_TRANSIT", "Package is returning to shipper", "returned_to_sender"],
  ["delivered", "Returned to sender", "delivered"],
  ["DELAYED", null, "delayed"],
  ["something_new", null, null],
])("carrier event %s (%s) normalises to %s", (status, message, expected) => {
  expect(carrierEventStatus(status, message)).toBe(expected);
});

test("a staff refund is measured as a share of the order, with its note as evidence", () => {
  const order = buildOrder({
    refunds: [
      buildRefund({ amountMinor: 6_000 }),
      buildRefund({ id: "r2", amountMinor: 3_000, createdAt: new Date("2026-03-06T15:00:00Z") }),
    ],
  });
  const signal = detectRefund(order, at("2026-03-07T00:00:00Z"), settings);
  expect(signal?.measure).toEqual({ kind: "REFUND_SHARE", refundedMinor: 9_000, orderTotalMinor: 24_000 });
  expect(signal?.occurredAt.toISOString()).toBe("2026-03-05T15:00:00.000Z");
  expect(signal?.evidence.refunds).toContainEqual(expect.objectContaining({ note: "Mug arrived chipped" }));
});

test.each([
  ["made by Amends", { createdByAmends: true }],
  ["for a customer return", { linkedToReturn: true }],
  ["of nothing (restock only)", { amountMinor: 0 }],
])("a refund %s opens no incident", (_name, refund) => {
  expect(detectRefund(buildOrder({ refunds: [buildRefund(refund)] }), at("2026-03-07T00:00:00Z"), settings)).toBeNull();
});

test("return refunds count when the shop says so", () => {
  const withReturns = detectionSettingsSchema.parse({ countReturnRefunds: true });
  expect(
    detectRefund(
      buildOrder({ refunds: [buildRefund({ linkedToReturn: true })] }),
      at("2026-03-07T00:00:00Z"),
      withReturns,
    ),
  ).not.toBeNull();
});

test("the refund that comes with a cancellation belongs to the cancellation", () => {
  const cancelledAt = new Date("2026-03-05T15:00:00Z");
  const order = buildOrder({
    cancelledAt,
    cancelReason: "customer",
    refunds: [buildRefund({ amountMinor: 24_000, createdAt: new Date(cancelledAt.getTime() + 2_000) })],
  });
  const detection = detectIncidents(order, at("2026-03-07T00:00:00Z"), settings);
  expect(detection).toEqual({ kind: "SIGNALS", signals: [] });
});

test.each([
  ["inventory", true],
  ["declined", true],
  ["other", true],
  ["staff", true],
  ["customer", false],
  ["fraud", false],
] as const)("a cancellation for %s opens an incident: %s", (reason, opens) => {
  const order = buildOrder({ cancelledAt: new Date("2026-03-03T15:00:00Z"), cancelReason: reason });
  const signal = detectMerchantCancellation(order, at("2026-03-03T16:00:00Z"), settings);
  expect(signal !== null).toBe(opens);
  if (signal) expect(signal.measure).toEqual({ kind: "CANCELLED", reason });
});

test("the settings cannot list customer or fraud as store cancellations", () => {
  expect(detectionSettingsSchema.safeParse({ cancellationReasons: ["fraud"] }).success).toBe(false);
});

test.each([
  [{ test: true }, "TEST_ORDER"],
  // Amends's own free gift, late as it may be: by its tag, or by the offer's link once the tag is gone.
  [{ tags: [" Amends-Gift "] }, "AMENDS_GIFT_ORDER"],
  [{ tags: [], madeByAmends: true }, "AMENDS_GIFT_ORDER"],
  [{ tags: ["VIP", " Amends-Exclude "] }, "EXCLUDED_ORDER_TAG"],
  [{ customerTags: ["amends-exclude"] }, "EXCLUDED_CUSTOMER_TAG"],
] as const)("excluded orders open nothing: %o", (overrides, reason) => {
  const detection = detectIncidents(buildOrder({ ...overrides }), at("2026-03-12T14:00:00Z"), settings);
  expect(detection).toMatchObject({ kind: "EXCLUDED", reason });
});

test("a manual incident carries the staff member's type and severity, and exclusions still apply", () => {
  const report = {
    category: "DAMAGED_ITEM",
    severity: "moderate",
    occurredAt: new Date("2026-03-09T15:00:00Z"),
    note: "Customer emailed a photo",
    reportedBy: "staff-12",
  } as const;
  const detection = manualSignal(buildOrder(), report, settings);
  expect(detection).toMatchObject({
    kind: "SIGNALS",
    signals: [{ type: "MANUAL", measure: { kind: "STAFF_CHOSEN", severity: "moderate", category: "DAMAGED_ITEM" } }],
  });
  // The order's value travels with it, as with detected incidents: a percentage make-good is valued on it.
  expect(detection).toMatchObject({ signals: [{ evidence: { orderTotalMinor: 24_000, orderSubtotalMinor: 20_000 } }] });
  expect(manualSignal(buildOrder({ test: true }), report, settings)).toMatchObject({
    kind: "EXCLUDED",
    reason: "TEST_ORDER",
  });
});

test("detection is idempotent and pure: same facts and time, same signals", () => {
  const order = shipped([buildEvent("delayed", "2026-03-05T10:00:00Z")]);
  const first = detectIncidents(order, at("2026-03-09T20:00:00Z"), settings);
  expect(detectIncidents(structuredClone(order), at("2026-03-09T20:00:00Z"), settings)).toEqual(first);
});

test.each([
  [null, "major", { kind: "OPEN", severity: "major" }],
  [{ severity: "moderate" as const }, "major", { kind: "RAISE", from: "moderate", to: "major" }],
  [{ severity: "major" as const }, "minor", { kind: "UNCHANGED", severity: "major" }],
] as const)("an open incident %o and a %s signal: %o", (open, next, expected) => {
  expect(reconcileIncident(open, next)).toEqual(expected);
});
