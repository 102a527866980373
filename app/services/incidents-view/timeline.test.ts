import { expect, test } from "vitest";
import {
  buildTimeline,
  describeMeasure,
  describeTimelineEntry,
  mergeTimeline,
  timelineBadge,
  type TimelineContext,
  type TimelineSource,
} from "./timeline";

const context: TimelineContext = {
  currency: "USD",
  staffName: (id) => ({ "1001": "Olivia Owner", "1002": "Sam Support" })[id] ?? null,
  offer: (id) => (id === "o1" ? { label: "20% code, 60-day expiry", code: "SORRY-AB12" } : undefined),
};

const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 15, minute));
const event = (kind: string, data: Record<string, unknown> = {}, actor = "system", minute = 0): TimelineSource => ({
  source: "event",
  id: kind,
  kind,
  actor,
  at: at(minute),
  data,
});
const transition = (
  from: string | null,
  to: string,
  options: { actor?: string; note?: string; minute?: number } = {},
): TimelineSource => ({
  source: "transition",
  id: `${from}-${to}`,
  kind: "TRANSITION",
  actor: options.actor ?? "system",
  at: at(options.minute ?? 0),
  data: null,
  offerId: "o1",
  fromStatus: from,
  toStatus: to,
  note: options.note ?? null,
});

test.each<[string, TimelineSource, { title: string; detail?: string | null }]>([
  [
    "a detected late order",
    event("SIGNAL", {
      type: "LATE_FULFILLMENT",
      severity: "moderate",
      base: "moderate",
      boosts: [],
      measure: { kind: "BUSINESS_DAYS_LATE", days: 3 },
    }),
    { title: "Detected: late to ship", detail: "3 business days past its ship-by date; severity moderate" },
  ],
  [
    "a boosted signal",
    event("SIGNAL", {
      type: "DELIVERY_DELAY",
      severity: "major",
      base: "moderate",
      boosts: ["REPEAT_CUSTOMER"],
      measure: { kind: "DAYS_LATE", days: 1 },
    }),
    {
      title: "Detected: delivery delayed",
      detail: "1 day past the promised delivery; severity major, raised from moderate (REPEAT_CUSTOMER)",
    },
  ],
  [
    "a staff report",
    event(
      "SIGNAL",
      {
        type: "MANUAL",
        severity: "minor",
        base: "minor",
        boosts: [],
        measure: { kind: "STAFF_CHOSEN", category: "DAMAGED_ITEM" },
      },
      "1002",
    ),
    { title: "Reported by Sam Support", detail: "Damaged item; severity minor" },
  ],
  [
    "a staff report written by the system",
    event("SIGNAL", {
      type: "MANUAL",
      severity: "minor",
      base: "minor",
      boosts: [],
      measure: { kind: "STAFF_CHOSEN", category: "OTHER" },
    }),
    { title: "Reported by staff", detail: "Something else; severity minor" },
  ],
  [
    "a raise",
    event("SEVERITY_RAISED", { from: "minor", to: "major", measure: { kind: "DAYS_LATE", days: 7 } }),
    { title: "Severity raised from minor to major", detail: "Now 7 days past the promised delivery" },
  ],
  [
    "the decision",
    event("DECIDED", { decision: "OFFER", summary: "major: 7 days late; VIP; 20% code" }),
    { title: "Decided on a make-good", detail: null },
  ],
  [
    "the holdout",
    event("DECIDED", { decision: "HOLDOUT", summary: "control group" }),
    { title: "Put in the control group: no make-good, so Amends can measure what make-goods change" },
  ],
  [
    "an approval, by name",
    event("OFFER_APPROVED", { offerId: "o1", faceValueMinor: 1500 }, "1001"),
    { title: "Approved by Olivia Owner", detail: "20% code, 60-day expiry, worth $15" },
  ],
  [
    "an approval by someone unknown",
    event("OFFER_APPROVED", { offerId: "o1" }, "4242"),
    { title: "Approved by staff member 4242" },
  ],
  [
    "a rejection with its reason",
    event("OFFER_REJECTED", { offerId: "o1", reason: "customer already refunded" }, "1002"),
    { title: "Rejected by Sam Support", detail: "Reason: customer already refunded" },
  ],
  [
    "the issue, with the code",
    event("OFFER_ISSUED", { offerId: "o1" }),
    { title: "Issued in Shopify: 20% code, 60-day expiry", detail: "Code SORRY-AB12" },
  ],
  [
    "a failure",
    event("OFFER_FAILED", { offerId: "o1", error: "THROTTLED" }),
    { title: "Issuing in Shopify failed", detail: "THROTTLED. Amends tries again; staff can see it in Approvals" },
  ],
  ["Flow notification", event("OFFER_NOTIFIED", { offerId: "o1" }), { title: "Customer told through Shopify Flow" }],
  ["email", event("OFFER_EMAILED", { offerId: "o1" }), { title: "Apology emailed to the customer" }],
  [
    "acknowledgement through Flow",
    event("INCIDENT_NOTIFIED", { handle: "recovery-incident-detected" }),
    { title: "Customer acknowledged through Shopify Flow" },
  ],
  [
    "acknowledgement emailed",
    event("INCIDENT_ACK_EMAILED", { channel: "smtp" }),
    { title: "Acknowledgement emailed to the customer" },
  ],
  ["follow-up due", event("FOLLOW_UP_DUE", { offerId: "o1" }), { title: "Follow-up due: contact the customer" }],
  [
    "follow-up skipped",
    event("FOLLOW_UP_SKIPPED", { offerId: "o1" }),
    { title: "Follow-up skipped: the customer already bought again" },
  ],
  ["follow-up sent", event("FOLLOW_UP_SENT", { offerId: "o1" }), { title: "Follow-up sent through Shopify Flow" }],
  [
    "redeemed",
    event("OFFER_REDEEMED", { offerId: "o1", orderGid: "gid://shopify/Order/77", via: "CODE" }),
    { title: "Customer used 20% code, 60-day expiry", detail: "On order 77, by its discount code" },
  ],
  [
    "won back",
    event("WON_BACK", { offerId: "o1", orderGid: "gid://shopify/Order/78", totalMinor: 4250 }),
    { title: "Customer bought again for $42.50 (order 78)", detail: null },
  ],
  [
    "won back in the control group",
    event("WON_BACK", { holdout: true, orderGid: "gid://shopify/Order/79", totalMinor: 1000 }),
    {
      title: "Customer bought again for $10 (order 79)",
      detail: "Counted for the control group, which got no make-good",
    },
  ],
  ["expired unused", event("OFFER_UNUSED", { offerId: "o1" }), { title: "20% code, 60-day expiry expired unused" }],
  [
    "escalated",
    event("OFFER_ESCALATED", { offerId: "o1", approvalFrom: "STAFF" }),
    { title: "Not decided in time: passed on to a manager", detail: "It was waiting for staff approval" },
  ],
  [
    "superseded",
    event("OFFER_SUPERSEDED", { offerId: "o1", severity: "critical" }),
    { title: "Make-good replaced before it went out", detail: "The incident became critical, so Amends decides again" },
  ],
  ["closed", event("CLOSED"), { title: "Incident closed" }],
  ["an unknown kind", event("SOMETHING_NEW"), { title: "Something new" }],
  [
    "an offer waiting for approval",
    transition(null, "PENDING_APPROVAL", { note: "above the auto-approve ceiling" }),
    { title: "Proposed 20% code, 60-day expiry, waiting for approval", detail: "above the auto-approve ceiling" },
  ],
  [
    "an offer approved at once",
    transition(null, "APPROVED"),
    { title: "Proposed 20% code, 60-day expiry, approved automatically" },
  ],
  ["issuing", transition("APPROVED", "ISSUING"), { title: "Issuing 20% code, 60-day expiry in Shopify" }],
])("describeTimelineEntry: %s", (_name, entry, expected) => {
  expect(describeTimelineEntry(entry, context)).toMatchObject(expected);
});

test("the merged timeline is oldest first, events before transitions at the same moment, without transitions an event already tells", () => {
  const events = [
    event(
      "SIGNAL",
      {
        type: "REFUND",
        severity: "minor",
        base: "minor",
        boosts: [],
        measure: { kind: "REFUND_SHARE", refundedMinor: 500, orderTotalMinor: 4000 },
      },
      "system",
      0,
    ),
    event("DECIDED", { decision: "OFFER", offerId: "o1", summary: "minor" }, "system", 1),
    event("OFFER_APPROVED", { offerId: "o1" }, "1002", 5),
    event("OFFER_ISSUED", { offerId: "o1" }, "system", 6),
  ];
  const transitions = [
    transition(null, "PENDING_APPROVAL", { minute: 1 }),
    transition("PENDING_APPROVAL", "APPROVED", { actor: "1002", minute: 5 }),
    transition("APPROVED", "ISSUING", { minute: 6 }),
    transition("ISSUING", "ISSUED", { minute: 6 }),
  ];
  // Given out of order, as two queries return them.
  const merged = mergeTimeline([...events].reverse(), transitions);
  expect(merged.map((e) => (e.source === "event" ? e.kind : `${e.fromStatus}->${e.toStatus}`))).toEqual([
    "SIGNAL",
    "DECIDED",
    "null->PENDING_APPROVAL",
    "OFFER_APPROVED",
    "OFFER_ISSUED",
    "APPROVED->ISSUING",
  ]);
  const worded = buildTimeline(events, transitions, context);
  expect(worded.map((e) => e.title)).toEqual([
    "Detected: refund",
    "Decided on a make-good",
    "Proposed 20% code, 60-day expiry, waiting for approval",
    "Approved by Sam Support",
    "Issued in Shopify: 20% code, 60-day expiry",
    "Issuing 20% code, 60-day expiry in Shopify",
  ]);
  expect(worded[0]).toMatchObject({
    at: "2026-11-02T15:00:00.000Z",
    detail: "$5 refunded, 13% of the order; severity minor",
  });
});

test("a retry after a failed issue is in the timeline with who retried, though the offer was approved before", () => {
  const events = [
    event("OFFER_APPROVED", { offerId: "o1" }, "1001", 1),
    event("OFFER_FAILED", { offerId: "o1", error: "Access denied" }, "system", 2),
  ];
  const transitions = [
    transition("PENDING_APPROVAL", "APPROVED", { actor: "1001", minute: 1 }),
    transition("FAILED", "APPROVED", { actor: "1002", note: "retry issue", minute: 3 }),
  ];
  expect(buildTimeline(events, transitions, context).map((e) => e.title)).toEqual([
    "Approved by Olivia Owner",
    "Issuing in Shopify failed",
    "Issuing 20% code, 60-day expiry retried by Sam Support",
  ]);
});

test("a control-group incident tells its decision once", () => {
  const decided = event("DECIDED", { decision: "HOLDOUT", offerId: "o1", summary: "holdout" });
  const merged = mergeTimeline(
    [decided],
    [transition(null, "HOLDOUT", { note: "control group" }), transition("ISSUED", "UNUSED", { minute: 9 })],
  );
  expect(merged.map((e) => e.kind)).toEqual(["DECIDED", "TRANSITION"]);
});

test.each([
  [{ kind: "DELIVERY_FAILED", cause: "REPEATED_ATTEMPTS", attempts: 3 }, "repeated delivery attempts (3 attempts)"],
  [{ kind: "DELIVERY_FAILED", cause: "RETURNED_TO_SENDER", attempts: 1 }, "the parcel was returned to sender"],
  [{ kind: "CANCELLED", reason: "inventory" }, "cancelled by the store (out of stock)"],
  [{ kind: "BUSINESS_DAYS_LATE", days: 1 }, "1 business day past its ship-by date"],
  [null, null],
  [{ kind: "UNKNOWN" }, null],
])("describeMeasure(%j)", (measure, expected) => {
  expect(describeMeasure(measure, "USD")).toBe(expected);
});

test.each<[string, TimelineSource, string | null]>([
  ["a detection", event("SIGNAL", { type: "REFUND" }), "Detected"],
  ["the decision", event("DECIDED", { decision: "OFFER" }), "Decided"],
  ["an approval", event("OFFER_APPROVED", { offerId: "o1" }, "1001"), "Approved"],
  ["a failed issue", event("OFFER_FAILED", { error: "THROTTLED" }), "Failed"],
  ["a message through Flow", event("OFFER_NOTIFIED", { offerId: "o1" }), "Message sent"],
  ["an email", event("INCIDENT_ACK_EMAILED"), "Message sent"],
  ["a follow-up due", event("FOLLOW_UP_DUE"), "Follow-up due"],
  ["a note", event("STAFF_NOTE", { text: "Called back" }, "1002"), "Note"],
  ["a repurchase", event("WON_BACK", { totalMinor: 100 }), "Came back"],
  ["an unknown event", event("SOMETHING_NEW"), null],
  ["a proposal waiting", transition(null, "PENDING_APPROVAL"), "Waiting for approval"],
  ["a proposal approved at once", transition(null, "APPROVED"), "Proposed"],
  ["a retry", transition("FAILED", "APPROVED", { actor: "1001" }), "Retried"],
  ["issuing", transition("APPROVED", "ISSUING"), "Issuing"],
])("timelineBadge: %s says what happened, not a colour", (_name, entry, badge) => {
  expect(timelineBadge(entry)).toBe(badge);
});

test("the decision's reasoning is not repeated in the timeline: its event and its offer's own notes carry no summary", () => {
  const decided = describeTimelineEntry(
    event("DECIDED", {
      decision: "OFFER",
      summary: "minor: 3 days late; Regular; within budget; needs MANAGER approval",
    }),
    context,
  );
  expect(decided.detail).toBeNull();
  expect(
    describeTimelineEntry(transition(null, "PENDING_APPROVAL", { note: "needs MANAGER approval" }), context),
  ).toMatchObject({
    title: "Proposed 20% code, 60-day expiry, waiting for approval",
    detail: null,
  });
  expect(describeTimelineEntry(transition(null, "APPROVED", { note: "auto-approved" }), context).detail).toBeNull();
  const built = buildTimeline([event("DECIDED", { decision: "HOLDOUT" })], [], context);
  expect(built).toEqual([
    expect.objectContaining({ title: expect.stringMatching(/^Put in the control group/), badge: "Decided" }),
  ]);
});
