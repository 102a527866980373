/**
 * The sandbox's flowTriggerReceive with its defaults: like Flow, it knows only the trigger handles
 * the app deployed (the flow_trigger extensions under extensions/), refuses any other handle and
 * any payload over 50 KB, and records nothing it refused.
 */
import { appTomlScopes } from "../helpers/app-scopes";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, expect, test } from "vitest";
import { FLOW_TRIGGERS } from "../../app/shopify/flow/triggers";
import { createAdminApi } from "../../sandbox/admin";
import { appFlowTriggerHandles } from "../../sandbox/admin/resolvers/flow";
import { adminRequest, buildFixture, type Fixture } from "../../sandbox/admin/test-fixtures";
import { mswServer } from "../helpers/msw";

const FLOW = `mutation($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;
type Answer = { flowTriggerReceive: { userErrors: Array<{ field: string[] | null; message: string }> } };

let fx: Fixture;

beforeEach(() => {
  fx = buildFixture();
  // No flowTriggerHandles: the strict default every test and the demo get.
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

test("a handle of the app's trigger extensions is accepted and recorded", async () => {
  const answer = await adminRequest<Answer>(FLOW, { handle: "recovery-offer-issued", payload: { order_id: 1 } });
  expect(answer.body.data?.flowTriggerReceive.userErrors).toEqual([]);
  expect(fx.shop.flowTriggers.map((t) => t.handle)).toEqual(["recovery-offer-issued"]);
});

test("without any option, a handle that is not one of the app's extensions is refused, as Flow does", async () => {
  for (const handle of ["recovery-offer-sent", "Recovery offer issued", "amends-trigger-lifecycle"]) {
    const answer = await adminRequest<Answer>(FLOW, { handle, payload: { order_id: 1 } });
    expect(answer.body.data?.flowTriggerReceive.userErrors).toEqual([
      { field: ["handle"], message: `No flow trigger with handle '${handle}' exists for this app` },
    ]);
  }
  expect(fx.shop.flowTriggers).toEqual([]);
});

test("a payload over Flow's 50 KB is refused for a known handle too", async () => {
  const answer = await adminRequest<Answer>(FLOW, {
    handle: "recovery-incident-detected",
    payload: { Explanation: "x".repeat(50_001) },
  });
  expect(answer.body.data?.flowTriggerReceive.userErrors.map((e) => e.field)).toEqual([["payload"]]);
  expect(fx.shop.flowTriggers).toEqual([]);
});
