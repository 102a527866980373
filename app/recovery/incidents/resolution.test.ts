import { expect, test } from "vitest";
import { buildEvent, buildFulfillment, buildFulfillmentOrder, buildOrder } from "../test-support/factories";
import type { IncidentType } from "../vocabulary";
import { failureState } from "./resolution";
import type { OrderFacts } from "./facts";

const shipped = buildFulfillmentOrder({ state: "fulfilled" });
const inTransit = buildFulfillment({ events: [buildEvent("in_transit", "2026-03-04T10:00:00Z")] });
const arrived = buildFulfillment({
  id: "gid://shopify/Fulfillment/2",
  events: [buildEvent("delivered", "2026-03-06T10:00:00Z"), buildEvent("delayed", "2026-03-05T10:00:00Z")],
});

test.each<[string, IncidentType, Partial<OrderFacts>, boolean]>([
  ["late: nothing shipped yet", "LATE_FULFILLMENT", {}, false],
  [
    "late: one of two fulfillment orders shipped",
    "LATE_FULFILLMENT",
    { fulfillmentOrders: [shipped, buildFulfillmentOrder({ id: "fo-2", state: "partial" })] },
    false,
  ],
  [
    "late: everything shipped",
    "LATE_FULFILLMENT",
    { fulfillmentOrders: [shipped, buildFulfillmentOrder({ id: "fo-2", state: "closed" })] },
    true,
  ],
  ["late: the order was cancelled", "LATE_FULFILLMENT", { cancelledAt: new Date("2026-03-05T10:00:00Z") }, true],
  ["delay: parcel still in transit", "DELIVERY_DELAY", { fulfillments: [inTransit] }, false],
  ["delay: one of two parcels arrived", "DELIVERY_DELAY", { fulfillments: [inTransit, arrived] }, false],
  ["delay: every parcel arrived", "DELIVERY_DELAY", { fulfillments: [arrived] }, true],
  [
    "delay: a cancelled shipment does not count",
    "DELIVERY_DELAY",
    { fulfillments: [arrived, buildFulfillment({ id: "f-3", cancelled: true })] },
    true,
  ],
  ["failure: no parcel under way (waiting for a re-shipment)", "DELIVERY_FAILURE", { fulfillments: [] }, false],
  ["failure: the re-shipment arrived", "DELIVERY_FAILURE", { fulfillments: [arrived] }, true],
  ["refund: over when it happens", "REFUND", {}, true],
  ["store cancellation: over when it happens", "MERCHANT_CANCELLATION", {}, true],
  ["manual report: over when it is made", "MANUAL", {}, true],
])("%s", (_name, type, facts, over) => {
  expect(failureState(type, buildOrder(facts)).over).toBe(over);
});
