import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { isHandledTopic } from "../../app/services/webhook-handlers.server";
import { AMENDS_SUBSCRIPTIONS } from "../../sandbox/webhooks";

const toml = readFileSync("shopify.app.toml", "utf8");
const subscribed = [...toml.matchAll(/^\s*(?:compliance_)?topics = \[([^\]]*)\]/gm)].flatMap((m) =>
  [...m[1]!.matchAll(/"([^"]+)"/g)].map((t) => t[1]!),
);

test("the sandbox sends exactly the topics shopify.app.toml subscribes to", () => {
  // app/scopes_update included: sandbox.changeScopes() sends it when a merchant changes the grant.
  expect([...AMENDS_SUBSCRIPTIONS].sort()).toEqual([...subscribed].sort());
});

test("every subscribed topic has a handler", () => {
  expect(subscribed.filter((t) => !isHandledTopic(t))).toEqual([]);
});

test("shopify.app.toml uses API version 2026-10 for webhooks", () => {
  expect(toml).toMatch(/\[webhooks\]\s*\napi_version = "2026-10"/);
});
