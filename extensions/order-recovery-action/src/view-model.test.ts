import { expect, test } from "vitest";
import {
  checkValue,
  createBody,
  errorText,
  orderIdFromGid,
  recoveryUrl,
  resultMessage,
  shouldDisplay,
  statusLines,
  submitMode,
  valueField,
  type Suggestion,
} from "./view-model";

const offer = (
  overrides: Partial<Extract<Suggestion, { kind: "OFFER" }>["offer"]> = {},
  authority = { level: "STAFF", limitMinor: 5_000 },
  canIssueNow = false,
): Suggestion => ({
  kind: "OFFER",
  offer: {
    kind: "STORE_CREDIT",
    value: 2_000,
    unit: "MONEY",
    faceValueMinor: 2_000,
    approval: "STAFF",
    expiryDays: 60,
    ...overrides,
  },
  currency: "USD",
  summary: "major: $20.00 store credit",
  explanation: ["1. Eligibility: ok"],
  authority,
  canIssueNow,
  note: "Preview",
});

test("the order id comes from the admin's GID, and the backend URL from it", () => {
  expect(orderIdFromGid("gid://shopify/Order/42")).toBe("42");
  expect(orderIdFromGid("gid://shopify/Product/42")).toBeNull();
  expect(orderIdFromGid(undefined)).toBeNull();
  expect(recoveryUrl("42")).toBe("/api/orders/42/recovery");
});

test("should-render hides the action on test orders and on anything that is not an order, and shows it when the read fails", () => {
  expect(shouldDisplay("gid://shopify/Order/1", { test: false }, false)).toBe(true);
  expect(shouldDisplay("gid://shopify/Order/1", { test: true }, false)).toBe(false);
  expect(shouldDisplay("gid://shopify/Order/1", null, true)).toBe(true);
  expect(shouldDisplay(undefined, { test: false }, false)).toBe(false);
});

test("a money offer needing approval is editable in major units up to the member's limit", () => {
  const field = valueField(offer())!;
  expect(field).toMatchObject({ unit: "MONEY", initial: 20, min: 0.01, maxWithinAuthority: 50 });
  expect(checkValue(field, "", "USD")).toEqual({ ok: true, value: null, withinAuthority: true });
  expect(checkValue(field, "35", "USD")).toEqual({ ok: true, value: 3_500, withinAuthority: true });
  expect(checkValue(field, "80", "USD")).toEqual({ ok: true, value: 8_000, withinAuthority: false });
  expect(checkValue(field, "abc", "USD")).toEqual({ ok: false, error: "Enter a number" });
  expect(checkValue(field, "0", "USD")).toMatchObject({ ok: false });
});

test("a percent code's limit scales with what a percent is worth on this order", () => {
  // 10% worth $30.00: each percent is $3.00, so a $50.00 limit allows 16%.
  const field = valueField(offer({ kind: "DISCOUNT_PERCENT", unit: "PERCENT", value: 10, faceValueMinor: 3_000 }))!;
  expect(field).toMatchObject({ unit: "PERCENT", initial: 10, max: 100, maxWithinAuthority: 16 });
  expect(checkValue(field, "101", "USD")).toMatchObject({ ok: false });
  expect(checkValue(field, "15", "USD")).toEqual({ ok: true, value: 15, withinAuthority: true });
});

test("AUTO offers and gifts are not editable; JPY has no minor digits", () => {
  expect(valueField(offer({ approval: "AUTO" }))).toBeNull();
  expect(valueField(offer({ kind: "GIFT_PRODUCT", unit: "GIFT" }))).toBeNull();
  const yen = valueField({ ...offer({ value: 2_000 }), currency: "JPY" } as Suggestion)!;
  expect(yen.initial).toBe(2_000);
  expect(checkValue(yen, "2500", "JPY")).toMatchObject({ value: 2_500 });
});

test("issue now only within authority; MANAGER-routed offers go for approval from staff", () => {
  const staffOffer = offer();
  const field = valueField(staffOffer);
  expect(submitMode(staffOffer, checkValue(field, "30", "USD"))).toEqual({ mode: "ISSUE", label: "Issue now" });
  expect(submitMode(staffOffer, checkValue(field, "80", "USD"))).toEqual({
    mode: "REQUEST_APPROVAL",
    label: "Send for approval",
  });
  expect(submitMode(offer({ approval: "MANAGER" }), checkValue(field, "30", "USD")).mode).toBe("REQUEST_APPROVAL");
  expect(submitMode(offer({}, undefined, true), checkValue(field, "", "USD")).mode).toBe("ISSUE");
  expect(
    submitMode({ kind: "EXCLUDED", reason: "TEST_ORDER" }, { ok: true, value: null, withinAuthority: true }).label,
  ).toBe("Open incident");
});

test("the create request carries the choice, the trimmed note and only an edited value", () => {
  expect(
    JSON.parse(
      createBody({ category: "DAMAGED_ITEM", severity: "major", note: "  broken  ", value: null, mode: "ISSUE" }),
    ),
  ).toEqual({ intent: "create", category: "DAMAGED_ITEM", severity: "major", note: "broken", mode: "ISSUE" });
  expect(
    JSON.parse(createBody({ category: "OTHER", severity: "minor", note: "", value: 1_500, mode: "REQUEST_APPROVAL" })),
  ).toMatchObject({ value: 1_500 });
});

test("status lines say what went wrong and where the make-good stands", () => {
  const lines = statusLines({
    orderGid: "gid://shopify/Order/1",
    currency: "USD",
    incidents: [
      {
        id: "a",
        type: "LATE_FULFILLMENT",
        severity: "major",
        state: "OPEN",
        detectedAt: "",
        summary: null,
        offers: [
          {
            id: "o",
            kind: "DISCOUNT_PERCENT",
            status: "ISSUED",
            approval: "AUTO",
            faceValue: "$6.00",
            code: "SORRY1",
            expiresAt: null,
            summary: "20% code",
          },
        ],
      },
      { id: "b", type: "MANUAL", severity: "minor", state: "CLOSED", detectedAt: "", summary: "holdout", offers: [] },
    ],
  });
  expect(lines).toEqual([
    {
      incidentId: "a",
      title: "Late to ship · major",
      badge: { text: "Issued", tone: "success" },
      detail: "20% code · code SORRY1",
    },
    {
      incidentId: "b",
      title: "Reported by staff · minor · closed",
      badge: { text: "Deciding", tone: "info" },
      detail: "holdout",
    },
  ]);
});

test("results and errors read as sentences", async () => {
  expect(resultMessage({ kind: "EXCLUDED", reason: "TEST_ORDER" }).text).toContain("Test order");
  expect(
    resultMessage({
      kind: "OFFER",
      incidentId: "i",
      offer: {
        id: "o",
        kind: "STORE_CREDIT",
        status: "PENDING_APPROVAL",
        approval: "MANAGER",
        faceValue: "$80.00",
        code: null,
        expiresAt: null,
        summary: "s",
      },
      outcome: "PENDING_APPROVAL",
      message: "needs MANAGER",
    }).tone,
  ).toBe("caution");
  expect(await errorText({ status: 401, json: async () => ({}) })).toContain("session");
  expect(await errorText({ status: 422, json: async () => ({ error: "category: invalid" }) })).toBe(
    "category: invalid",
  );
  expect(await errorText({ status: 500, json: async () => Promise.reject(new Error("no json")) })).toContain(
    "HTTP 500",
  );
});
