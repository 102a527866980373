/**
 * The dashboard (app home) and the offers export, through the real authenticate.admin: range
 * handling, the figures of a fixture shop, tenancy, the first-run card, and the CSV download.
 */
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { action, loader } from "../../app/routes/app._index";
import { loader as exportLoader } from "../../app/routes/app.export.offers[.]csv";
import { adminRequest, anonymousRequest, call } from "../helpers/admin-request";
import { truncateAll } from "../helpers/db";
import { sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";
import { seedRecoveryHistory } from "./dashboard-fixtures";
import { clearCauseNames } from "../../app/services/cause-names.server";
import { localDate } from "../../app/recovery/time/zoned";
import { saveGrid } from "../../app/models/grid.server";
import { DEFAULT_GRID, gridSchema, SEVERITIES, TIERS } from "../../app/recovery";
import { gid } from "../../sandbox";

const OTHER_SHOP = "amends-dashboard-other.myshopify.com";
const sandbox = sandboxForTests();
sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD", plan: "Basic" });
sandbox.store.addShop({ domain: OTHER_SHOP, currency: "USD", plan: "Basic" });

beforeEach(async () => {
  await truncateAll();
  sandbox.admin.reset();
});

type LoaderData = Exclude<Awaited<ReturnType<typeof loader>>, Response>;

async function load(path: string, shop = TEST_SHOP): Promise<LoaderData> {
  const result = await call<unknown>(() => loader({ request: adminRequest(path, { shop }), params: {}, context: {} }));
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result as LoaderData;
}

test("no session: neither the dashboard nor the export is served", async () => {
  for (const run of [
    () => loader({ request: anonymousRequest("/app"), params: {}, context: {} }),
    () => exportLoader({ request: anonymousRequest("/app/export/offers.csv"), params: {}, context: {} }),
  ]) {
    const result = await call<unknown>(run);
    expect(result).toBeInstanceOf(Response);
    expect([302, 401, 410]).toContain((result as Response).status);
  }
});

test("a freshly installed shop: the first-run state, the onboarding card with a sample offer, no figures", async () => {
  const data = await load("/app");
  expect(data).toMatchObject({ fresh: true, inbox: { total: 0 }, range: { preset: "last30", problem: null } });
  expect(data.metrics.incidentCount).toBe(0);
  expect(data.onboarding?.sample?.decision.kind).toBe("OFFER");
  // Reading the dashboard writes nothing beyond the install (no grid version, no settings).
  expect(await prisma.gridVersion.count()).toBe(0);
});

/** Every cell of the grid gives one unit of the variant. */
async function giftEverywhere(variantGid: string): Promise<void> {
  const cell = {
    kind: "GIFT_PRODUCT" as const,
    value: { variantId: variantGid, quantity: 1 },
    approval: "AUTO" as const,
  };
  const row = Object.fromEntries(TIERS.map((t) => [t, cell]));
  const grid = { ...DEFAULT_GRID, cells: Object.fromEntries(SEVERITIES.map((s) => [s, row])), overrides: {} };
  await saveGrid(TEST_SHOP, gridSchema.parse(grid), "test");
}

test("a grid that gives a gift product: the sample offer is valued at the variant's price from Shopify", async () => {
  await load("/app"); // installs the shop
  const card = sandbox.activity.createProduct(TEST_SHOP, { title: "Thank-you card", variants: [{ price: "7.50" }] })
    .variants[0]!;
  await giftEverywhere(gid("ProductVariant", card.id));

  const data = await load("/app");

  expect(data.onboarding?.sample?.decision).toMatchObject({ kind: "OFFER", faceValueMinor: 750 });
});

test("a gift whose price Shopify does not return: the dashboard loads, the card shows without a sample", async () => {
  await load("/app");
  await giftEverywhere("gid://shopify/ProductVariant/999999999");

  const data = await load("/app");

  expect(data.onboarding).toMatchObject({ sample: null, steps: expect.any(Array) });
  expect(data.fresh).toBe(true);
});

test("the figures of a fixture shop, and another shop sees none of them", async () => {
  await load("/app"); // installs the shop
  await load("/app", OTHER_SHOP);
  const now = sandbox.clock.now();
  const seeded = await seedRecoveryHistory(TEST_SHOP, { now, count: 40, days: 20 });
  await seedRecoveryHistory(OTHER_SHOP, { now, count: 7, days: 20, orderPrefix: "#OTHER-" });

  const data = await load("/app");
  expect(data.fresh).toBe(false);
  expect(data.metrics.incidentCount).toBe(40);
  // Incidents of the last 30 days are all still in their 90-day window: no readout yet, and the page says so.
  expect(data.metrics.experiment.readouts).toEqual([]);
  expect(data.metrics.experiment.progress).toMatchObject({ matured: 0, maturing: seeded.treated + seeded.holdout });
  expect(data.metrics.experiment.sentence).toMatch(
    /^The first readout comes once 1000 incidents have been followed for 90 days: 0 have, 40 are still maturing, and 960 more are needed\.$/,
  );
  expect(data.metrics.cost.faceValueIssuedMinor).toBe(seeded.faceValueMinor);
  expect(data.metrics.issuedCount).toBe(seeded.issued);
  expect(data.metrics.rootCauses.byType).toHaveLength(5);

  const other = await load("/app", OTHER_SHOP);
  expect(other.metrics.incidentCount).toBe(7);
});

test("a range from the URL narrows the figures; an invalid one falls back to the default with a problem, writing nothing", async () => {
  await load("/app");
  const now = sandbox.clock.now();
  const seeded = await seedRecoveryHistory(TEST_SHOP, { now, count: 40, days: 20 });
  const all = await load("/app");
  // The shop's local day of the newest incident (not "today": at 01:00 in the shop's zone today has none yet).
  const day = localDate(new Date(Math.max(...seeded.detectedAt.map((d) => d.getTime()))), all.timeZone);
  const onThatDay = seeded.detectedAt.filter((d) => localDate(d, all.timeZone) === day).length;
  const narrow = await load(`/app?from=${day}&to=${day}`);
  expect(narrow.range).toMatchObject({ from: day, to: day, problem: null });
  expect(narrow.metrics.incidentCount).toBe(onThatDay);
  expect(onThatDay).toBeGreaterThan(0);
  expect(narrow.metrics.incidentCount).toBeLessThan(all.metrics.incidentCount);

  const before = await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
  for (const query of [
    "?from=2026-02-30&to=2026-03-01",
    "?from=nonsense",
    "?from=2026-11-10&to=2026-11-01",
    "?to=2020-01-01&from=2026-01-01",
  ]) {
    const data = await load(`/app${query}`);
    expect(data.range.preset).toBe("last30");
    expect(data.range.problem).toMatch(/could not be used/);
    expect(data.metrics.incidentCount).toBe(all.metrics.incidentCount);
  }
  const after = await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
  expect(after.updatedAt).toEqual(before.updatedAt);
});

test("Done hides the onboarding card for the shop, stored beside the settings without disturbing them", async () => {
  await load("/app");
  await prisma.shop.update({ where: { shop: TEST_SHOP }, data: { settings: { decision: { holdoutShare: 0.2 } } } });
  const refused = await action({
    request: adminRequest("/app", { form: { intent: "somethingElse" } }),
    params: {},
    context: {},
  });
  expect(refused).toMatchObject({ ok: false });
  expect((await load("/app")).onboarding).not.toBeNull();

  const result = await action({
    request: adminRequest("/app", { form: { intent: "dismissOnboarding" }, userId: "1001" }),
    params: {},
    context: {},
  });
  expect(result).toMatchObject({ ok: true });
  expect((await load("/app")).onboarding).toBeNull();
  const settings = (await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).settings as Record<
    string,
    unknown
  >;
  expect(settings).toMatchObject({ decision: { holdoutShare: 0.2 }, onboarding: { dismissedBy: "1001" } });
  const { shopContext } = await import("../../app/models/shop-settings.server");
  expect((await shopContext(TEST_SHOP)).recovery.decision.holdoutShare).toBe(0.2);
  // Another shop still sees its card.
  expect((await load("/app", OTHER_SHOP)).onboarding).not.toBeNull();
});

async function exportCsv(path: string, shop = TEST_SHOP): Promise<Response> {
  const result = await call<unknown>(() =>
    exportLoader({ request: adminRequest(path, { shop }), params: {}, context: {} }),
  );
  if (!(result instanceof Response)) throw new Error("the export did not answer with a Response");
  return result;
}

const parseCsv = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n")
    .map((line) => line.split(","));

test("the export: a CSV attachment with a header and one row per offer of the range, only this shop's", async () => {
  await load("/app");
  await load("/app", OTHER_SHOP);
  const now = sandbox.clock.now();
  const seeded = await seedRecoveryHistory(TEST_SHOP, { now, count: 23, days: 20 });
  await seedRecoveryHistory(OTHER_SHOP, { now, count: 5, days: 20, orderPrefix: "#OTHER-" });
  const { today } = await load("/app");
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - 40 * 86_400_000).toISOString().slice(0, 10);

  const response = await exportCsv(`/app/export/offers.csv?from=${from}&to=${today}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("content-disposition")).toBe(
    `attachment; filename="amends-offers-${from}-to-${today}.csv"`,
  );
  const rows = parseCsv(await response.text());
  const header = rows[0] ?? [];
  expect(header.slice(0, 5)).toEqual(["offer_id", "incident_id", "incident_type", "severity", "order_name"]);
  expect(header).toEqual(
    expect.arrayContaining(["face_value", "status", "redeemed", "won_back", "revenue_won_back", "time_to_offer"]),
  );
  expect(header.join(",")).not.toMatch(/customer|email|phone|address/i);
  const body = rows.slice(1);
  expect(body).toHaveLength(seeded.incidents);
  const orderNames = body.map((r) => r[header.indexOf("order_name")]);
  expect(new Set(orderNames)).toEqual(new Set(seeded.orderNames));
  expect(orderNames.some((n) => n?.startsWith("#OTHER"))).toBe(false);
  const holdoutRow = body.find((r) => r[header.indexOf("status")] === "HOLDOUT");
  expect(holdoutRow?.[header.indexOf("time_to_offer")]).toBe("");

  const other = parseCsv(await (await exportCsv(`/app/export/offers.csv?from=${from}&to=${today}`, OTHER_SHOP)).text());
  expect(other.slice(1)).toHaveLength(5);
});

test("the export refuses an invalid range with a clear message", async () => {
  const response = await exportCsv("/app/export/offers.csv?from=2026-11-10&to=2026-11-01");
  expect(response.status).toBe(400);
  expect(await response.text()).toMatch(/start date must not be after the end date/);
});

test("the export pages through more rows than one page", async () => {
  await load("/app");
  const now = sandbox.clock.now();
  await seedRecoveryHistory(TEST_SHOP, { now, count: 2_345, days: 20 });
  const { range } = await load("/app");
  const rows = parseCsv(await (await exportCsv(`/app/export/offers.csv?from=${range.from}&to=${range.to}`)).text());
  expect(rows.slice(1)).toHaveLength(2_345);
  expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(2_345);
});

test("root causes name products by their title in Shopify; one read per few minutes; a failed read shows ids", async () => {
  clearCauseNames();
  await load("/app");
  const mug = sandbox.activity.createProduct(TEST_SHOP, {
    title: "Enamel mug",
    variants: [{ price: "12.00", sku: "MUG" }],
  });
  const now = sandbox.clock.now();
  await seedRecoveryHistory(TEST_SHOP, { now, count: 8, days: 5 });
  // The fixtures name products 1-4; make one of them this real product.
  await prisma.$executeRaw`UPDATE "Incident" SET "rootCause" = jsonb_set("rootCause", '{productIds}', ${JSON.stringify([`gid://shopify/Product/${mug.id}`])}::jsonb) WHERE shop = ${TEST_SHOP}`;

  const data = await load("/app");
  expect(data.causeNames).toEqual({ [`gid://shopify/Product/${mug.id}`]: "Enamel mug" });
  const reads = () => sandbox.admin.calls.filter((c) => c.operationName === "AmendsProductTitles").length;
  expect(reads()).toBe(1);
  await load("/app");
  expect(reads()).toBe(1);

  clearCauseNames();
  sandbox.admin.faults.configure("*", { serverErrorShare: 1, seed: 1 });
  const fallback = await load("/app");
  sandbox.admin.faults.configure("*", { serverErrorShare: 0, seed: 1 });
  expect(fallback.causeNames).toEqual({});
  expect(fallback.metrics.rootCauses.byProduct[0]?.key).toBe(`gid://shopify/Product/${mug.id}`);
});
