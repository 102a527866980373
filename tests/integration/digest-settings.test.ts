/**
 * The weekly digest's address on the settings page (decision 0118), through the real loader and
 * action: empty by default (no digest email), a bad address answered beside the field with nothing
 * written, a good one saved and shown again, emptied to stop the email.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { shopContext } from "../../app/models/shop-settings.server";
import { action, loader } from "../../app/routes/app.settings/route";
import { actionAnswer, adminRequest, call } from "../helpers/admin-request";
import { clearStoreAndDatabase, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";

const OWNER = "1001";
const sandbox = sandboxForTests();

beforeEach(async () => {
  await clearStoreAndDatabase(sandbox);
  sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD", ianaTimezone: "America/New_York" });
});

async function load() {
  const result = await call(() =>
    loader({ request: adminRequest("/app/settings", { userId: OWNER }), params: {}, context: {} }),
  );
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
}

async function saveOffers(offers: Record<string, unknown>) {
  const form = { intent: "save", payload: JSON.stringify({ offers }) };
  return actionAnswer(
    await call(() =>
      action({ request: adminRequest("/app/settings", { userId: OWNER, form }), params: {}, context: {} }),
    ),
  );
}

const stored = async () => (await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).settings;

test("the digest address: off by default, checked beside the field, saved, and emptied to stop", async () => {
  const page = await load();
  expect(page.values.offers.digestEmailTo).toBe("");
  expect((await shopContext(TEST_SHOP)).offers.digestEmailTo).toBeNull();

  const before = await stored();
  const bad = await saveOffers({ ...page.values.offers, digestEmailTo: "owner at shop" });
  expect(bad.status).toBe(400);
  expect(bad.body.fieldErrors).toEqual({
    "offers.digestEmailTo": "Enter an address like you@yourstore.com, or leave it empty for no digest email",
  });
  expect(await stored()).toEqual(before);

  expect((await saveOffers({ ...page.values.offers, digestEmailTo: " owner@shop.example " })).status).toBe(200);
  expect((await shopContext(TEST_SHOP)).offers.digestEmailTo).toBe("owner@shop.example");
  const again = await load();
  expect(again.values.offers.digestEmailTo).toBe("owner@shop.example");

  expect((await saveOffers({ ...again.values.offers, digestEmailTo: "" })).status).toBe(200);
  expect((await shopContext(TEST_SHOP)).offers.digestEmailTo).toBeNull();
});
