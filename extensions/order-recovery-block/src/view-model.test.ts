import { expect, test } from "vitest";
import { blockView, incidentHref, offerBadge, orderIdFromGid, recoveryUrl } from "./view-model";

const incident = (id: string, state: string, status?: string, code: string | null = null) => ({
  id,
  type: "DELIVERY_DELAY",
  severity: "moderate",
  state,
  detectedAt: "2026-11-02T15:00:00.000Z",
  summary: "moderate: 4 days late",
  offers: status
    ? [
        {
          id: `o-${id}`,
          kind: "DISCOUNT_PERCENT",
          status,
          approval: "STAFF",
          faceValue: "$5.00",
          code,
          expiresAt: null,
          summary: "10% code, 60-day expiry",
        },
      ]
    : [],
});

test("an order without incidents says so", () => {
  expect(blockView({ orderGid: "g", currency: "USD", incidents: [] })).toEqual({
    summary: "No service failures recorded",
    lines: [],
  });
});

test("the summary counts open incidents, approvals waiting and make-goods issued; lines link into the app", () => {
  const view = blockView({
    orderGid: "g",
    currency: "USD",
    incidents: [
      incident("a", "OPEN", "PENDING_APPROVAL"),
      incident("b", "CLOSED", "ISSUED", "SORRY"),
      incident("c", "OPEN"),
    ],
  });
  expect(view.summary).toBe("2 open incidents · 1 awaiting approval · 1 make-good issued");
  expect(view.lines.map((l) => [l.title, l.badge.text, l.detail, l.href])).toEqual([
    ["Delivery delayed (moderate)", "Waiting for approval", "10% code, 60-day expiry", "app:app/incidents/a"],
    ["Delivery delayed (moderate), closed", "Issued", "10% code, 60-day expiry · code SORRY", "app:app/incidents/b"],
    ["Delivery delayed (moderate)", "Deciding", "moderate: 4 days late", "app:app/incidents/c"],
  ]);
});

test("badges name the state staff care about", () => {
  expect(offerBadge(undefined)).toEqual({ text: "Deciding", tone: "info" });
  expect(
    offerBadge({
      id: "o",
      kind: "x",
      approval: "STAFF",
      status: "FAILED",
      faceValue: "",
      code: null,
      expiresAt: null,
      summary: "",
    }).tone,
  ).toBe("critical");
  expect(
    offerBadge({
      id: "o",
      kind: "x",
      approval: "STAFF",
      status: "HOLDOUT",
      faceValue: "",
      code: null,
      expiresAt: null,
      summary: "",
    }).text,
  ).toBe("Control group");
  expect(
    offerBadge({
      id: "o",
      kind: "x",
      approval: "STAFF",
      status: "REJECTED",
      faceValue: "",
      code: null,
      expiresAt: null,
      summary: "",
    }).text,
  ).toBe("Rejected");
});

test("ids and URLs", () => {
  expect(orderIdFromGid("gid://shopify/Order/7")).toBe("7");
  expect(recoveryUrl("7")).toBe("/api/orders/7/recovery");
  expect(incidentHref("a b")).toBe("app:app/incidents/a%20b");
});
