/** The acknowledgement's settings (decision 0113) through the settings page's real loader and action. */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { DEFAULT_MESSAGES } from "../../app/recovery";
import { action, loader } from "../../app/routes/app.settings/route";
import { actionAnswer, adminRequest, call } from "../helpers/admin-request";
import { clearStoreAndDatabase, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";

const OWNER = "1001";
const SUPPORT = "1002";
const sandbox = sandboxForTests();

beforeEach(async () => {
  await clearStoreAndDatabase(sandbox);
  sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD", ianaTimezone: "UTC" });
});

async function load(userId = OWNER) {
  const result = await call(() =>
    loader({ request: adminRequest("/app/settings", { userId }), params: {}, context: {} }),
  );
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
}

async function save(sections: Record<string, unknown>, userId = OWNER) {
  const form = { intent: "save", payload: JSON.stringify(sections) };
  return actionAnswer(
    await call(() => action({ request: adminRequest("/app/settings", { userId, form }), params: {}, context: {} })),
  );
}

const stored = async () =>
  (await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).settings as Record<
    string,
    Record<string, unknown>
  >;

test("the target time to first contact defaults to 15 minutes and saves a whole number of minutes", async () => {
  await load(SUPPORT);
  const page = await load();
  expect(page.values.offers.acknowledgeWithinMinutes).toBe("15");
  expect(page.defaults.offers.acknowledgeWithinMinutes).toBe("15");

  expect(await save({ offers: { ...page.values.offers, acknowledgeWithinMinutes: "20" } })).toMatchObject({
    status: 200,
    body: { ok: true, saved: ["offers"] },
  });
  expect((await stored()).offers).toMatchObject({ acknowledgeWithinMinutes: 20 });
  expect((await load()).values.offers.acknowledgeWithinMinutes).toBe("20");
});

test.each([
  ["0", "Enter at least 1"],
  ["1441", "Enter at most 1440"],
  ["2.5", "Enter a whole number"],
  ["soon", "Enter a number, like 12 or 2.5"],
  ["", "Enter a number"],
])("a target of %j is refused beside its field, and nothing is saved", async (typed, message) => {
  const page = await load();
  const answer = await save({ offers: { ...page.values.offers, acknowledgeWithinMinutes: typed } });
  expect(answer.status).toBe(400);
  expect(answer.body.fieldErrors).toEqual({ "offers.acknowledgeWithinMinutes": message });
  expect((await stored()).offers).toBeUndefined();
});

test("staff without manager authority cannot change the target", async () => {
  await load(OWNER);
  const page = await load(SUPPORT);
  const answer = await save({ offers: { ...page.values.offers, acknowledgeWithinMinutes: "60" } }, SUPPORT);
  expect(answer.status).toBe(403);
  expect(Object.keys(answer.body.fieldErrors as object)).toEqual(["offers.acknowledgeWithinMinutes"]);
});

test("the acknowledgement texts are editable; offer placeholders and a missing {{problem}} are refused beside the text", async () => {
  const page = await load();
  expect(page.values.messages.acknowledgement).toEqual(DEFAULT_MESSAGES.en.acknowledgement);
  expect(page.values.messages.acknowledgements.REFUND).toBe(DEFAULT_MESSAGES.en.acknowledgements.REFUND);

  const messages = page.values.messages;
  const bad = await save({
    messages: {
      ...messages,
      acknowledgement: { subject: "Your order {{orderName}}", body: "Hi {{firstName}}, here is {{code}}." },
      acknowledgements: { ...messages.acknowledgements, DELIVERY_DELAY: "late, here is {{amount}} off" },
    },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.fieldErrors).toEqual({
    "messages.acknowledgement.body": expect.stringContaining("Unknown placeholder {{code}}"),
    "messages.acknowledgements.DELIVERY_DELAY": expect.stringContaining("Unknown placeholder {{amount}}"),
  });
  const noProblem = await save({
    messages: { ...messages, acknowledgement: { subject: "Hi", body: "Hi {{firstName}}, we're on it." } },
  });
  expect(noProblem.body.fieldErrors).toEqual({
    "messages.acknowledgement.body": "Include {{problem}}: the customer needs it",
  });
  expect((await stored()).messages).toBeUndefined();

  const good = await save({
    messages: {
      ...messages,
      acknowledgements: { ...messages.acknowledgements, REFUND: "we saw the refund on {{orderName}}." },
    },
  });
  expect(good.status).toBe(200);
  // Only what differs from the defaults is kept.
  expect((await stored()).messages).toMatchObject({
    acknowledgements: { REFUND: "we saw the refund on {{orderName}}." },
  });
  expect((await stored()).messages).not.toHaveProperty("acknowledgement");
  expect((await load()).values.messages.acknowledgements.REFUND).toBe("we saw the refund on {{orderName}}.");
});
