/**
 * The sandbox in its own process (tests/bench/sandbox-process): the app's real background Admin
 * client (the Shopify library's unauthenticated.admin over the stored offline session) reaches it
 * through the forwarder, unchanged, and the call lands in the sandbox process's call log.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { backgroundAdmin } from "../../../app/shopify/admin.server";
import { shopInfo } from "../../../app/shopify/operations/shop-info";
import { appTomlScopes } from "../../helpers/app-scopes";
import { mswServer } from "../../helpers/msw";
import { installOfflineSession, TEST_API_KEY, TEST_SECRET } from "../../helpers/sandbox";
import { forwardingHandlers } from "./forwarder";
import { startSandboxProcess, type SandboxProcess } from "./index";

const SHOP = "process-one.myshopify.com";
let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess({ apiKey: TEST_API_KEY, secret: TEST_SECRET, scopes: appTomlScopes() });
});

afterAll(async () => {
  await sandbox?.stop();
});

test("an Admin API call from the app's background client is answered by the sandbox process through the forwarder", async () => {
  await sandbox.control.addShop({ domain: SHOP, name: "Process One", ianaTimezone: "Europe/Berlin" });
  await sandbox.control.configureRateLimit(SHOP, { maximumAvailable: 50, restoreRate: 5 });
  const { access_token } = await sandbox.control.issueOfflineToken(SHOP);
  await installOfflineSession(SHOP, { accessToken: access_token });
  mswServer.use(...forwardingHandlers(sandbox.url));

  const admin = await backgroundAdmin(SHOP);
  const data = await admin.run(shopInfo);

  // Facts only the sandbox process holds, and the bucket it configured, come back to this process.
  expect(data.shop).toMatchObject({ name: "Process One", ianaTimezone: "Europe/Berlin" });
  expect(admin.costs.entries).toEqual([expect.objectContaining({ operation: "AmendsShopInfo", throttled: false })]);
  const calls = await sandbox.control.calls({ shop: SHOP });
  expect(calls).toEqual([expect.objectContaining({ operationName: "AmendsShopInfo", status: 200, outcome: "ok" })]);
  const summary = await sandbox.control.costSummary();
  expect(summary.byShop[SHOP]?.AmendsShopInfo).toMatchObject({ calls: 1, throttled: 0, failed: 0 });
  const status = await sandbox.control.rateLimitStatus(SHOP);
  expect(status.maximumAvailable).toBe(50);
  expect(status.currentlyAvailable).toBeLessThan(50);
});

test("a request for an unknown shop gets Shopify's 404 from the sandbox process, not a pass-through to the internet", async () => {
  mswServer.use(...forwardingHandlers(sandbox.url));
  const response = await fetch("https://no-such-shop.myshopify.com/admin/api/2026-10/graphql.json", {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": "whatever" },
    body: JSON.stringify({ query: "{ shop { name } }" }),
  });
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({ errors: "Not Found" });
});
