/** The compensation grid editor's loader and actions through the real authenticate.admin (sandbox token exchange). */
import { randomUUID } from "node:crypto";
import { beforeEach, expect, test } from "vitest";
import { prisma } from "../../app/db.server";
import { currentGrid, gridVersion } from "../../app/models/grid.server";
import { INSTALL_GRID, type Grid } from "../../app/recovery";
import { draftFromGrid, type GridDraft } from "../../app/recovery/grid/editing";
import { action as previewAction } from "../../app/routes/app.grid.preview";
import { loader as productsLoader } from "../../app/routes/app.grid.products";
import { action, loader } from "../../app/routes/app.grid/route";
import { actionAnswer, adminRequest, anonymousRequest, call } from "../helpers/admin-request";
import { DEFAULT_INVENTORY } from "../../sandbox/activity/catalog";
import { clearStoreAndDatabase, sandboxForTests } from "../helpers/sandbox";
import { TEST_SHOP } from "../helpers/webhooks";

const OTHER_SHOP = "amends-other.myshopify.com";
const OWNER = "1001";
const SUPPORT = "1002";
const NOW = new Date("2026-11-02T15:00:00Z");

const sandbox = sandboxForTests();

beforeEach(async () => {
  await clearStoreAndDatabase(sandbox);
  sandbox.clock.freeze(NOW);
  const shop = sandbox.store.addShop({ domain: TEST_SHOP, currency: "USD", ianaTimezone: "UTC" });
  sandbox.store.addShop({ domain: OTHER_SHOP, currency: "EUR", ianaTimezone: "Europe/Paris" });
  const productId = sandbox.store.newId();
  shop.products.set(productId, {
    id: productId,
    title: "Thank-you mug",
    vendor: "Amends Goods",
    variants: [
      { id: "777", productId, title: "Blue", sku: "MUG-B", price: "12.00", inventory: { ...DEFAULT_INVENTORY } },
    ],
  });
});

/** Requests are the owner's unless a test says otherwise (the support member is STAFF: no grid changes). */
type Options = { shop?: string; userId?: string };

async function load(options: Options = {}) {
  const result = await call(() =>
    loader({ request: adminRequest("/app/grid", { userId: OWNER, ...options }), params: {}, context: {} }),
  );
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result;
}

async function post(
  form: Record<string, string>,
  options: Options = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const result = await call(() =>
    action({ request: adminRequest("/app/grid", { userId: OWNER, ...options, form }), params: {}, context: {} }),
  );
  return actionAnswer(result);
}

const save = (draft: GridDraft, baseVersion: number, options: Options = {}) =>
  post({ intent: "save", payload: JSON.stringify({ baseVersion, draft }) }, options);

function editedDraft(edit: (d: GridDraft) => void, grid: Grid = INSTALL_GRID): GridDraft {
  const draft = structuredClone(draftFromGrid(grid, "USD"));
  edit(draft);
  return draft;
}

const versions = (shop = TEST_SHOP) => prisma.gridVersion.findMany({ where: { shop }, orderBy: { version: "asc" } });

/** The support member (STAFF by default) promoted to MANAGER in the shop's authority settings. */
async function makeSupportAManager(): Promise<void> {
  await prisma.shop.update({
    where: { shop: TEST_SHOP },
    data: { settings: { authority: { members: { [SUPPORT]: "MANAGER" } } } },
  });
}

test("without a session the page, its preview and its product search are not served", async () => {
  const runs: Array<() => unknown> = [
    () => loader({ request: anonymousRequest("/app/grid"), params: {}, context: {} }),
    () => action({ request: anonymousRequest("/app/grid"), params: {}, context: {} }),
    () => previewAction({ request: anonymousRequest("/app/grid/preview"), params: {}, context: {} }),
    () => productsLoader({ request: anonymousRequest("/app/grid/products?q=mug"), params: {}, context: {} }),
  ];
  for (const run of runs) {
    const result = await call(run);
    expect(result).toBeInstanceOf(Response);
    expect([302, 401, 410]).toContain((result as Response).status);
  }
  expect(await prisma.gridVersion.count()).toBe(0);
});

test("a shop that never saved a grid sees the default as version 1 in its currency", async () => {
  const page = await load();
  expect(page).toMatchObject({ version: 1, currency: "USD", timeZone: "UTC" });
  expect(page.draft).toEqual(draftFromGrid(INSTALL_GRID, "USD"));
  expect(page.history).toEqual([
    expect.objectContaining({ version: 1, createdBy: "system", summary: "First grid", current: true }),
  ]);
});

test("saving creates version n+1 recording who saved it; the old version stays", async () => {
  await load();
  const draft = editedDraft((d) => {
    d.cells.major.VIP = { ...d.cells.major.VIP, kind: "STORE_CREDIT", value: "25.50", expiryDays: "90" };
  });
  const saved = await save(draft, 1, { userId: OWNER });
  expect(saved).toEqual({ status: 200, body: { ok: true, intent: "save", version: 2 } });

  const rows = await versions();
  expect(rows.map((r) => [r.version, r.createdBy])).toEqual([
    [1, "system"],
    [2, "Olivia Owner (staff 1001)"],
  ]);
  expect((await gridVersion(TEST_SHOP, 1))?.grid).toEqual(INSTALL_GRID);
  expect((await currentGrid(TEST_SHOP)).grid.cells.major.VIP).toEqual({
    kind: "STORE_CREDIT",
    value: 2550,
    expiryDays: 90,
    approval: "STAFF",
    messageTemplateKey: "personal",
  });

  const page = await load();
  expect(page.version).toBe(2);
  expect(page.history[0]).toMatchObject({ version: 2, current: true, createdBy: "Olivia Owner (staff 1001)" });
  expect(page.history[0]?.summary).toMatch(
    /^1 change: major × VIP: \$25 store credit, 90-day expiry, staff → \$25.50 store credit, 90-day expiry, staff$/,
  );
});

test.each([
  [
    "percent 150",
    (d: GridDraft): void => {
      d.cells.minor.NEW.value = "150";
    },
    "cells.minor.NEW.value",
    /at most 100/,
  ],
  [
    "expiry 0",
    (d: GridDraft): void => {
      d.cells.critical.VIP.expiryDays = "0";
    },
    "cells.critical.VIP.expiryDays",
    /at least 1 day/,
  ],
  [
    "gift product without a variant",
    (d: GridDraft): void => {
      d.cells.major.LOYAL = { ...d.cells.major.LOYAL, kind: "GIFT_PRODUCT", value: "", expiryDays: "", variantId: "" };
    },
    "cells.major.LOYAL.value.variantId",
    /choose the product variant/,
  ],
  [
    "an override with a bad amount",
    (d: GridDraft): void => {
      d.overrides.DELIVERY_DELAY = { major: { NEW: { ...d.cells.major.NEW, kind: "DISCOUNT_FIXED", value: "ten" } } };
    },
    "overrides.DELIVERY_DELAY.major.NEW.value",
    /amount in USD/,
  ],
  [
    "a message template the shop does not have (the picker offers only its templates; a request may not)",
    (d: GridDraft): void => {
      d.cells.minor.NEW = { ...d.cells.minor.NEW, messageTemplateKey: "apology" };
    },
    "cells.minor.NEW.messageTemplateKey",
    /There is no message template "apology": choose standard, personal, welcome_back or loyal_perk/,
  ],
] as const)(
  "an invalid cell (%s) is refused with the error at that cell, and nothing is saved",
  async (_name, edit, path, message) => {
    await load();
    const result = await save(editedDraft(edit), 1);
    expect(result.status).toBe(400);
    const fieldErrors = result.body.fieldErrors as Record<string, string>;
    expect(Object.keys(fieldErrors)).toEqual([path]);
    expect(fieldErrors[path]).toMatch(message);
    expect((await versions()).map((r) => r.version)).toEqual([1]);
  },
);

test("the customer's preferred kind: saved with its equivalents as a new version, shown again on the page, named in the history", async () => {
  await load();
  const draft = editedDraft((d) => {
    d.cells.major.NEW = {
      ...d.cells.major.NEW,
      preferredKind: { DISCOUNT_CODE: "", STORE_CREDIT: "10.00", GIFT_CARD: "12.50" },
    };
  });
  expect(await save(draft, 1)).toEqual({ status: 200, body: { ok: true, intent: "save", version: 2 } });
  expect((await currentGrid(TEST_SHOP)).grid.cells.major.NEW).toEqual({
    ...INSTALL_GRID.cells.major.NEW,
    preferredKind: { STORE_CREDIT: 1_000, GIFT_CARD: 1_250 },
  });
  const page = await load();
  expect(page.draft.cells.major.NEW.preferredKind).toEqual({
    DISCOUNT_CODE: "",
    STORE_CREDIT: "10.00",
    GIFT_CARD: "12.50",
  });
  expect(page.history[0]?.summary).toMatch(
    /^1 change: major × NEW: 20% code, 60-day expiry, auto → 20% code, 60-day expiry, auto, or the customer's preferred kind: \$10 store credit, \$12.50 gift card$/,
  );
});

test.each([
  [
    "a bad equivalent amount",
    { DISCOUNT_CODE: "", STORE_CREDIT: "ten", GIFT_CARD: "" },
    "preferredKind.STORE_CREDIT",
    /amount in USD/,
  ],
  [
    "no equivalent at all",
    { DISCOUNT_CODE: "", STORE_CREDIT: "", GIFT_CARD: "" },
    "preferredKind",
    /at least one other kind/,
  ],
  [
    "an equivalent of the cell's own kind",
    { DISCOUNT_CODE: "25", STORE_CREDIT: "", GIFT_CARD: "5.00" },
    "preferredKind.DISCOUNT_CODE",
    /already gives a discount code/,
  ],
] as const)(
  "the preferred kind with %s is refused beside its field, and nothing is saved",
  async (_name, option, field, message) => {
    await load();
    const result = await save(
      editedDraft((d) => {
        d.cells.major.NEW = { ...d.cells.major.NEW, preferredKind: { ...option } };
      }),
      1,
    );
    expect(result.status).toBe(400);
    const fieldErrors = result.body.fieldErrors as Record<string, string>;
    expect(Object.keys(fieldErrors)).toEqual([`cells.major.NEW.${field}`]);
    expect(fieldErrors[`cells.major.NEW.${field}`]).toMatch(message);
    expect((await versions()).map((r) => r.version)).toEqual([1]);
  },
);

test("a save from an outdated page is refused rather than undoing a colleague's version", async () => {
  await load();
  await makeSupportAManager();
  expect(
    (
      await save(
        editedDraft((d) => void (d.cells.minor.NEW.value = "12")),
        1,
        { userId: OWNER },
      )
    ).status,
  ).toBe(200);
  const late = await save(
    editedDraft((d) => void (d.cells.minor.REGULAR.value = "11")),
    1,
    { userId: SUPPORT },
  );
  expect(late.status).toBe(400);
  expect((late.body.fieldErrors as Record<string, string>).form).toMatch(
    /Version 2 was saved by Olivia Owner \(staff 1001\)/,
  );
  expect((await versions()).map((r) => r.version)).toEqual([1, 2]);
});

test("two saves from the same version at the same moment: one is saved, the other is told to reload (never silently overwritten)", async () => {
  await load();
  await makeSupportAManager();
  for (let round = 0; round < 3; round++) {
    const base = (await currentGrid(TEST_SHOP)).version;
    const [a, b] = await Promise.all([
      save(
        editedDraft((d) => void (d.cells.minor.NEW.value = String(20 + round))),
        base,
        { userId: OWNER },
      ),
      save(
        editedDraft((d) => void (d.cells.minor.REGULAR.value = String(30 + round))),
        base,
        { userId: SUPPORT },
      ),
    ]);
    expect([a.status, b.status].sort(), `round ${round}`).toEqual([200, 400]);
    const refused = a.status === 400 ? a : b;
    expect((refused.body.fieldErrors as Record<string, string>).form).toMatch(
      new RegExp(`Version ${base + 1} was saved by .* after you opened this page`),
    );
    expect((await versions()).map((r) => r.version)).toEqual(Array.from({ length: base + 1 }, (_, i) => i + 1));
  }
});

test("restore creates a new version equal to the old one, after which the old one is current again", async () => {
  await load();
  await makeSupportAManager();
  await save(
    editedDraft((d) => void (d.cells.minor.NEW.value = "12")),
    1,
  );
  const restored = await post({ intent: "restore", version: "1" }, { userId: SUPPORT });
  expect(restored).toEqual({ status: 200, body: { ok: true, intent: "restore", version: 3, restored: 1 } });
  const v3 = await gridVersion(TEST_SHOP, 3);
  expect(v3?.grid).toEqual(INSTALL_GRID);
  expect(v3?.createdBy).toBe("Sam Support (staff 1002), restoring v1");
  expect((await versions()).map((r) => r.version)).toEqual([1, 2, 3]);

  expect(await post({ intent: "restore", version: "3" })).toMatchObject({
    status: 400,
    body: { fieldErrors: { version: expect.stringMatching(/already the current grid/) } },
  });
  expect(await post({ intent: "restore", version: "abc" })).toMatchObject({
    status: 400,
    body: { fieldErrors: { version: expect.any(String) } },
  });
});

test("a member of another shop neither sees nor restores nor overwrites this shop's versions", async () => {
  await load();
  await save(
    editedDraft((d) => void (d.cells.minor.NEW.value = "12")),
    1,
  );

  const other = await load({ shop: OTHER_SHOP });
  expect(other.version).toBe(1);
  expect(other.currency).toBe("EUR");
  expect(other.history.map((h) => h.createdBy)).toEqual(["system"]);

  // Version 2 exists only in this shop: for the other shop it is not found.
  expect(await post({ intent: "restore", version: "2" }, { shop: OTHER_SHOP })).toMatchObject({ status: 404 });
  expect(
    (
      await save(
        editedDraft((d) => void (d.cells.minor.NEW.value = "50")),
        2,
        { shop: OTHER_SHOP },
      )
    ).status,
  ).toBe(400);

  expect((await versions()).map((r) => r.version)).toEqual([1, 2]);
  expect((await currentGrid(TEST_SHOP)).grid.cells.minor.NEW).toMatchObject({ value: 12 });
  expect((await versions(OTHER_SHOP)).map((r) => r.version)).toEqual([1]);
});

test("product search answers the shop's variants, read as the signed-in member; the page shows a gift's title", async () => {
  const result = await call(() =>
    productsLoader({ request: adminRequest("/app/grid/products?q=mug"), params: {}, context: {} }),
  );
  expect(result).toMatchObject({
    options: [
      {
        id: "gid://shopify/ProductVariant/777",
        displayName: "Thank-you mug - Blue",
        price: "12.00",
        stock: "1000 in stock",
        inStock: true,
      },
    ],
    fieldErrors: null,
  });

  await load();
  await save(
    editedDraft(
      (d) =>
        void (d.cells.major.NEW = {
          ...d.cells.major.NEW,
          kind: "GIFT_PRODUCT",
          variantId: "gid://shopify/ProductVariant/777",
          quantity: "1",
          expiryDays: "",
          value: "",
        }),
    ),
    1,
  );
  expect((await load()).variantTitles).toEqual({ "gid://shopify/ProductVariant/777": "Thank-you mug - Blue" });
});

// --- Preview ---

let order = 5000;
async function incident(
  shop: string,
  fields: {
    severity: "minor" | "moderate" | "major" | "critical";
    tier?: "NEW" | "REGULAR" | "LOYAL" | "VIP";
    daysAgo?: number;
    subtotalMinor?: number;
    decision?: string;
    customer?: string | null;
    type?: "LATE_FULFILLMENT" | "REFUND";
  },
) {
  order += 1;
  const detectedAt = new Date(NOW.getTime() - (fields.daysAgo ?? 5) * 86_400_000);
  const customer = fields.customer === undefined ? `gid://shopify/Customer/${order}` : fields.customer;
  const type = fields.type ?? "LATE_FULFILLMENT";
  await prisma.incident.create({
    data: {
      id: randomUUID(),
      shop,
      orderGid: `gid://shopify/Order/${order}`,
      orderName: `#${order}`,
      customerGid: customer,
      type,
      severity: fields.severity,
      measure:
        type === "REFUND"
          ? { kind: "REFUND_SHARE", refundedMinor: 1_000, orderTotalMinor: 10_000 }
          : { kind: "BUSINESS_DAYS_LATE", days: 2 },
      evidence: { orderTotalMinor: fields.subtotalMinor ?? 10_000, orderSubtotalMinor: fields.subtotalMinor ?? 10_000 },
      occurredAt: new Date(detectedAt.getTime() - 86_400_000),
      detectedAt,
      decision: fields.decision ?? null,
      // Decided with this tier (as decide-incident records it).
      tier: fields.tier ?? null,
      explanation: fields.tier ? ["Incident: ...", `Customer: ${fields.tier}: $500 spent in 4 orders`] : [],
    },
  });
}

async function preview(draft: GridDraft, options: Options = {}) {
  const result = await call(() =>
    previewAction({
      request: adminRequest("/app/grid/preview", { ...options, form: { payload: JSON.stringify(draft) } }),
      params: {},
      context: {},
    }),
  );
  if (result instanceof Response)
    return { status: result.status, body: (await result.json()) as Record<string, unknown> };
  return { status: 200, body: result as unknown as Record<string, unknown> };
}

// Settings: holdout 0 so counts do not depend on the draw; default ceiling $50, budget $1,000.
async function fixture() {
  await load();
  await prisma.shop.update({ where: { shop: TEST_SHOP }, data: { settings: { decision: { holdoutShare: 0 } } } });
  await incident(TEST_SHOP, { severity: "minor", tier: "REGULAR" }); // default 10% of $100 = $10 auto
  await incident(TEST_SHOP, { severity: "major", tier: "VIP" }); // default $25 store credit, STAFF
  await incident(TEST_SHOP, { severity: "critical", tier: "NEW", subtotalMinor: 50_000 }); // 25% of capped $300 = $75, STAFF
  await incident(TEST_SHOP, { severity: "minor", tier: "NEW", type: "REFUND" }); // apology only
  await incident(TEST_SHOP, { severity: "major", tier: "NEW", decision: "INELIGIBLE" }); // stays ineligible
  await incident(TEST_SHOP, { severity: "major", customer: null }); // guest, never decided: NEW, 20% = $20 auto
  await incident(TEST_SHOP, { severity: "major", tier: "VIP", daysAgo: 120 }); // outside the window
  await incident(OTHER_SHOP, { severity: "critical", tier: "VIP" }); // another shop's
}

const storeCreditEverywhere = editedDraft((d) => {
  for (const row of Object.values(d.cells))
    for (const tier of Object.keys(row) as Array<keyof typeof row>)
      row[tier] = { ...row[tier], kind: "STORE_CREDIT", value: "60.00", expiryDays: "30", approval: "AUTO" };
});

test.each([
  [
    "the unchanged grid",
    draftFromGrid(INSTALL_GRID, "USD"),
    {
      offers: 4,
      faceValueMinor: 13_000,
      autoApproved: 2,
      needsApproval: 2,
      noOffer: 1,
      ineligible: 1,
      holdouts: 0,
      incidents: 6,
    },
  ],
  // The guest cannot hold store credit (apology only), and $60 is above the $50 auto-approve ceiling.
  [
    "$60 store credit everywhere (REFUND minor keeps its apology override)",
    storeCreditEverywhere,
    { offers: 3, faceValueMinor: 18_000, autoApproved: 0, needsApproval: 3, noOffer: 2, ineligible: 1 },
  ],
  [
    "no refund override",
    editedDraft((d) => void (d.overrides = {})),
    { offers: 5, faceValueMinor: 14_000, autoApproved: 3, needsApproval: 2, noOffer: 0, ineligible: 1 },
  ],
] as const)(
  "the preview of %s counts this shop's last 90 days next to the current grid",
  async (_name, draft, expected) => {
    await fixture();
    const { status, body } = await preview(draft);
    expect(status).toBe(200);
    const result = body.preview as Record<string, unknown>;
    expect(result).toMatchObject({
      incidents: 6,
      capped: false,
      currentVersion: 1,
      tierSources: { decision: 5, customerValue: 0, guest: 1, assumedNew: 0 },
    });
    expect(result.current).toMatchObject({
      offers: 4,
      faceValueMinor: 13_000,
      autoApproved: 2,
      needsApproval: 2,
      noOffer: 1,
      ineligible: 1,
    });
    expect(result.draft).toMatchObject(expected);
    expect(await prisma.gridVersion.count({ where: { shop: TEST_SHOP } })).toBe(1);
  },
);

test("the preview of an invalid draft answers its field errors and replays nothing", async () => {
  await fixture();
  const { status, body } = await preview(editedDraft((d) => void (d.cells.minor.NEW.expiryDays = "0")));
  expect(status).toBe(400);
  expect(body).toEqual({
    preview: null,
    fieldErrors: { "cells.minor.NEW.expiryDays": expect.stringMatching(/at least 1 day/) },
  });
});

test("a member of another shop previews only that shop's incidents", async () => {
  await fixture();
  const { status, body } = await preview(draftFromGrid(INSTALL_GRID, "EUR"), { shop: OTHER_SHOP });
  expect(status).toBe(200);
  expect(body.preview).toMatchObject({ incidents: 1, current: { incidents: 1 }, draft: { incidents: 1 } });
});

test("a member with STAFF authority may look and preview but neither save nor restore (403, nothing written)", async () => {
  expect(await load({ userId: SUPPORT })).toMatchObject({ canEdit: false });
  expect(await load({ userId: OWNER })).toMatchObject({ canEdit: true });
  const saved = await save(
    editedDraft((d) => void (d.cells.minor.NEW.value = "12")),
    1,
    { userId: SUPPORT },
  );
  expect(saved.status).toBe(403);
  expect((saved.body.fieldErrors as Record<string, string>).form).toMatch(/Only a manager or the store owner/);
  await save(
    editedDraft((d) => void (d.cells.minor.NEW.value = "12")),
    1,
    { userId: OWNER },
  );
  const restored = await post({ intent: "restore", version: "1" }, { userId: SUPPORT });
  expect(restored.status).toBe(403);
  expect((await versions()).map((r) => r.version)).toEqual([1, 2]);
  await makeSupportAManager();
  expect(await load({ userId: SUPPORT })).toMatchObject({ canEdit: true });
});

test("the grid editor says which kinds this shop cannot be given and what their cells give instead", async () => {
  expect((await load()).unavailableKinds).toEqual([]);
  const row = await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
  expect(row.customerAccountsV2).toBe(true);
  await prisma.shop.update({
    where: { shop: TEST_SHOP },
    data: {
      scopes: row
        .scopes!.split(",")
        .filter((s) => s !== "write_gift_cards")
        .join(","),
      customerAccountsV2: false,
    },
  });
  expect((await load()).unavailableKinds).toEqual([
    {
      kind: "STORE_CREDIT",
      label: "Store credit",
      reason: "the shop uses classic customer accounts, where store credit cannot be spent",
      fallback: "fixed-amount discount code",
    },
    {
      kind: "GIFT_CARD",
      label: "Gift card",
      reason: "the shop does not grant Amends the write_gift_cards access scope",
      fallback: "fixed-amount discount code",
    },
  ]);
});

test("the approval rules and the matrix's definitions read the shop's saved grid and settings, and change with them", async () => {
  const before = await load();
  const rule = (page: typeof before, id: string) => page.rules.find((r) => r.id === id);
  expect(rule(before, "CEILING")?.text).toContain("worth more than $50 ");
  expect(rule(before, "CELLS")?.groups?.map((g) => [g.approver, g.cells])).toEqual([
    ["NOBODY", "Minor: every customer; Moderate: every customer; Major: New, Regular, Loyal"],
    ["STAFF", "Major: VIP; Critical: New, Regular, Loyal"],
    ["MANAGER", "Critical: VIP"],
  ]);
  expect(before.definitions.tiers.VIP).toBe("from 10 orders or $1,000 spent");

  // The other shop's settings must not reach this shop's page.
  await load({ shop: OTHER_SHOP });
  await prisma.shop.update({
    where: { shop: OTHER_SHOP },
    data: { settings: { decision: { autoApproveCeilingMinor: 100 } } },
  });
  await prisma.shop.update({
    where: { shop: TEST_SHOP },
    data: {
      settings: {
        decision: { autoApproveCeilingMinor: 1_999, monthlyBudgetMinor: null },
        authority: { limits: { STAFF: 2_000, MANAGER: 2_800 } },
        offers: { escalateAfterHours: 2 },
        tiers: { vip: { minOrders: 12, minSpendMinor: 150_000 } },
        severity: { deliveryFailure: "critical" },
      },
    },
  });
  // Minor × New now waits for a manager.
  const draft = editedDraft((d) => {
    d.cells.minor.NEW = { ...d.cells.minor.NEW, approval: "MANAGER" };
  });
  expect((await save(draft, 1)).status).toBe(200);

  const after = await load();
  expect(rule(after, "CEILING")?.text).toContain("worth more than $19.99 ");
  expect(rule(after, "BUDGET")?.text).toBe("No monthly budget: the month's total never asks for a manager.");
  expect(rule(after, "ESCALATION")?.text).toContain("within 2 hours");
  expect(rule(after, "STAFF_LIMITS")?.text).toContain("staff up to $20, managers up to $28, the owner any amount");
  expect(rule(after, "CELLS")?.groups?.map((g) => [g.approver, g.cells])).toEqual([
    ["NOBODY", "Minor: Regular, Loyal, VIP; Moderate: every customer; Major: New, Regular"],
    ["STAFF", "Major: Loyal; Critical: New, Regular"],
    ["MANAGER", "Minor: New; Major: VIP; Critical: Loyal"],
    ["OWNER", "Critical: VIP"],
  ]);
  expect(after.definitions.tiers.VIP).toBe("from 12 orders or $1,500 spent");
  expect(after.definitions.severities.critical).toBe("10+ days late to ship; a failed delivery");
});
