/**
 * The sandbox's flowTriggerReceive, strict like Flow: it knows only the trigger handles the app
 * deployed (the flow_trigger extensions under extensions/) and their declared fields, refuses any
 * other handle, any payload over 50 KB and any payload that does not fit the trigger's fields
 * (missing, unknown or mistyped), answering Shopify's userErrors shape, and records nothing it refused.
 */
import { appTomlScopes } from "../helpers/app-scopes";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, expect, test } from "vitest";
import { FLOW_TRIGGERS, triggerPayload } from "../../app/shopify/flow/triggers";
import { createAdminApi } from "../../sandbox/admin";
import { appFlowTriggerHandles, appFlowTriggers } from "../../sandbox/admin/resolvers/flow";
import { adminRequest, buildFixture, type Fixture } from "../../sandbox/admin/test-fixtures";
import { mswServer } from "../helpers/msw";

const FLOW = `mutation($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;
type Answer = { flowTriggerReceive: { userErrors: Array<{ field: string[] | null; message: string }> } };

let fx: Fixture;

beforeEach(() => {
  fx = buildFixture();
  mswServer.use(...createAdminApi(fx.store, { scopes: appTomlScopes() }).handlers);
});

test("by default the deployed handles are exactly the flow_trigger extensions under extensions/", () => {
  const dir = join(import.meta.dirname, "../../extensions");
  const fromFiles = readdirSync(dir)
    .map((folder) => join(dir, folder, "shopify.extension.toml"))
    .filter((file) => {
      try {
        return /^type = "flow_trigger"$/m.test(readFileSync(file, "utf8"));
      } catch {
        return false;
      }
    });
  expect(appFlowTriggerHandles()).toHaveLength(fromFiles.length);
  expect([...appFlowTriggerHandles()].sort()).toEqual(Object.keys(FLOW_TRIGGERS).sort());
});

/** A follow-up payload as the app builds it (the same declarations the extension TOML holds). */
const followUp = () =>
  triggerPayload("recovery-follow-up-due", {
    order_id: 1001,
    customer_id: 42,
    "Offer ID": "offer-1",
    "Offer kind": "GIFT_CARD",
    Code: "",
    "Incident type": "REFUND",
    "Issued at": "2026-11-02T15:00:00.000Z",
    "Rating link": "https://amends.example/rate/token",
  });

const refusal = (...lines: string[]) => [
  { field: ["body"], message: `Errors validating schema:\n${lines.map((l) => `  ${l}\n`).join("")}` },
];

test("a handle of the app's trigger extensions with exactly its declared fields is accepted and recorded", async () => {
  const answer = await adminRequest<Answer>(FLOW, { handle: "recovery-follow-up-due", payload: followUp() });
  expect(answer.body.data?.flowTriggerReceive.userErrors).toEqual([]);
  expect(fx.shop.flowTriggers.map((t) => t.handle)).toEqual(["recovery-follow-up-due"]);
});

test("a handle that is not one of the app's extensions is refused as Shopify answers it", async () => {
  for (const handle of ["recovery-offer-sent", "Recovery offer issued", "amends-trigger-lifecycle", ""]) {
    const answer = await adminRequest<Answer>(FLOW, { handle, payload: followUp() });
    expect(answer.body.data?.flowTriggerReceive.userErrors).toEqual(refusal(`Invalid handle '${handle}'.`));
  }
  expect(fx.shop.flowTriggers).toEqual([]);
});

test("a payload over Flow's 50 KB is refused for a known handle too", async () => {
  const answer = await adminRequest<Answer>(FLOW, {
    handle: "recovery-follow-up-due",
    payload: { ...followUp(), Code: "x".repeat(50_001) },
  });
  expect(answer.body.data?.flowTriggerReceive.userErrors).toEqual(
    refusal("Properties size exceeds the limit of 50000 bytes."),
  );
  expect(fx.shop.flowTriggers).toEqual([]);
});

test("a payload that does not fit the trigger's declared fields is refused: each missing, unknown and mistyped property named", async () => {
  const { "Offer ID": _offerId, customer_id: _customer, ...partial } = followUp();
  const answer = await adminRequest<Answer>(FLOW, {
    handle: "recovery-follow-up-due",
    payload: { ...partial, order_id: "1001", "Issued at": 1_700_000_000, offer_kind: "GIFT_CARD" },
  });
  expect(answer.body.data?.flowTriggerReceive.userErrors).toEqual(
    refusal(
      "Property 'offer_kind' is not a field of this trigger.",
      "Property 'order_id' (order_reference) must be an order id (a positive integer).",
      "Required property 'customer_id' is missing.",
      "Required property 'Offer ID' is missing.",
      "Property 'Issued at' (single_line_text_field) must be a string.",
    ),
  );
  // A number_decimal field takes a number, not its text; a reference id must be a positive integer.
  const offer = {
    ...triggerPayload("recovery-offer-issued", {
      order_id: 1001,
      customer_id: 42,
      "Offer ID": "offer-1",
      "Offer kind": "DISCOUNT_FIXED",
      "Offer value": 15,
      Currency: "USD",
      Code: "SORRY-15",
      Amount: "$15.00",
      "Expires at": "",
      "Incident type": "REFUND",
      Severity: "minor",
      Subject: "Sorry",
      Message: "Sorry about your order.",
      Locale: "en",
    }),
  };
  const mistyped = await adminRequest<Answer>(FLOW, {
    handle: "recovery-offer-issued",
    payload: { ...offer, "Offer value": "15.00", customer_id: 0 },
  });
  expect(mistyped.body.data?.flowTriggerReceive.userErrors).toEqual(
    refusal(
      "Property 'customer_id' (customer_reference) must be a customer id (a positive integer).",
      "Property 'Offer value' (number_decimal) must be a number.",
    ),
  );
  expect(fx.shop.flowTriggers).toEqual([]);
  const fits = await adminRequest<Answer>(FLOW, { handle: "recovery-offer-issued", payload: offer });
  expect(fits.body.data?.flowTriggerReceive.userErrors).toEqual([]);
});

test("every trigger the app declares has its fields read from its TOML, reference fields under their _id keys", () => {
  const triggers = appFlowTriggers();
  for (const [handle, definition] of Object.entries(FLOW_TRIGGERS)) {
    const keys = definition.fields.map((f) => ("key" in f ? f.key : f.type.replace(/_reference$/, "_id")));
    expect(triggers.get(handle)?.map((f) => f.key)).toEqual(keys);
    expect(triggers.get(handle)?.every((f) => f.required)).toBe(true);
  }
});
