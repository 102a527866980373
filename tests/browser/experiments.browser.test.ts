/**
 * The dashboard's "Which make-good works?" card (decision 0119) in a real browser against the demo.
 * The demo shop's major x VIP cell runs an experiment, saved through the grid's own save; its
 * history is written as rows the readout reads (incidents past the attribution window with their
 * outcomes, issued make-goods, held-out markers and ArmAssignment rows), and the customers' ratings
 * go through the rating link's service. The card shows each arm against the held-out customers, the
 * proposal to keep the clear winner, which a click saves as a new grid version, and CSAT per arm.
 * A timing experiment (the same make-good at once or the next morning) reads in its own sentence.
 */
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import type { Locator } from "playwright-core";
import { expect, onTestFailed, test } from "vitest";
import { prisma } from "../../app/db.server";
import { currentGrid, saveGrid } from "../../app/models/grid.server";
import { cellExperiment, gridCellSchema, type GridCellInput } from "../../app/recovery";
import { RATING_LINK_MS, signRatingToken } from "../../app/recovery/ratings/token";
import { ratingKey } from "../../app/services/ratings/links.server";
import { recordRating } from "../../app/services/ratings/ratings.server";
import { expectNoSeriousA11yViolations, setUpBrowserHarness } from "./harness";

const browser = setUpBrowserHarness();
const DAY = 86_400_000;
const HOUR = 3_600_000;

const CODE: GridCellInput = {
  kind: "DISCOUNT_PERCENT",
  value: 15,
  expiryDays: 30,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
const CREDIT: GridCellInput = {
  kind: "STORE_CREDIT",
  value: 1_000,
  expiryDays: 60,
  approval: "AUTO",
  messageTemplateKey: "standard",
};
/** 15% code (arm A) against $10 store credit (arm B). */
const EXPERIMENT: GridCellInput = { ...CODE, arms: [{ offer: CODE }, { label: "$10 credit", offer: CREDIT }] };
/** The same $10 credit at once (arm A) or the next morning (arm B). */
const TIMING: GridCellInput = {
  ...CREDIT,
  arms: [
    { label: "Same day", offer: CREDIT },
    { label: "Next morning", offer: CREDIT, timing: "NEXT_MORNING" },
  ],
};

const experimentKey = (cell: GridCellInput) => cellExperiment(gridCellSchema.parse(cell))!.key;

function screenshotOnFailure(name: string) {
  onTestFailed(async () => {
    await browser.screenshot(`${name}-failed`);
  });
}

/** The demo shop's current grid with its major x VIP cell replaced, saved as a new version by the grid's own save. */
async function runInMajorVip(cell: GridCellInput): Promise<number> {
  const { shop } = browser.demo;
  const current = await currentGrid(shop);
  const grid = structuredClone(current.grid);
  grid.cells.major.VIP = gridCellSchema.parse(cell);
  return (await saveGrid(shop, grid, "Experiment test (staff 0)", { base: current })).version;
}

/** Each readout round is this many matured incidents of the experiment (the smallest the settings allow is 100). */
const ROUND = 200;

async function readEveryRoundOf(incidents: number): Promise<void> {
  const { shop } = browser.demo;
  const row = await prisma.shop.findUniqueOrThrow({ where: { shop } });
  const settings = (row.settings ?? {}) as Record<string, Record<string, unknown>>;
  await prisma.shop.update({
    where: { shop },
    data: { settings: { ...settings, attribution: { ...settings.attribution, readoutIncidents: incidents } } },
  });
}

interface Group {
  /** null: held out. */
  arm: number | null;
  incidents: number;
  /** How many of them ordered again within the window. */
  returned: number;
}

/**
 * An experiment's history in major x VIP, one customer per incident, every incident detected
 * 100 to 139 days ago (past the 90-day window and its day of grace): arm incidents with their
 * issued make-good, held-out ones with their HOLDOUT marker, each with its ArmAssignment row.
 * Returns the incident ids per group, in order.
 */
async function seedExperiment(options: {
  cell: GridCellInput;
  gridVersion: number;
  groups: Group[];
  prefix: string;
}): Promise<Map<number | null, string[]>> {
  const { shop, sandbox } = browser.demo;
  const now = sandbox.clock.now().getTime();
  const experiment = cellExperiment(gridCellSchema.parse(options.cell))!;
  const timingOnly = experiment.arms.every(
    (a) => JSON.stringify(a.offer) === JSON.stringify(experiment.arms[0]!.offer),
  );
  const incidents: Prisma.IncidentCreateManyInput[] = [];
  const offers: Prisma.OfferCreateManyInput[] = [];
  const assignments: Prisma.ArmAssignmentCreateManyInput[] = [];
  const ids = new Map<number | null, string[]>();
  let n = 0;
  for (const group of options.groups) {
    const list: string[] = [];
    ids.set(group.arm, list);
    const arm = group.arm === null ? null : experiment.arms[group.arm]!;
    for (let i = 0; i < group.incidents; i++, n++) {
      const id = randomUUID();
      list.push(id);
      const detectedAt = new Date(now - (100 + (n % 40)) * DAY - 2 * HOUR);
      const customerGid = `gid://shopify/Customer/${options.prefix}${n}`;
      const orderGid = `gid://shopify/Order/${options.prefix}${n}`;
      const returned = i < group.returned;
      const won = returned
        ? {
            wonBackAt: new Date(detectedAt.getTime() + 5 * DAY),
            wonBackOrderGid: `${orderGid}-again`,
            wonBackMinor: 6_000,
          }
        : {};
      incidents.push({
        id,
        shop,
        orderGid,
        orderName: `#${options.prefix}${1000 + n}`,
        customerGid,
        type: "MERCHANT_CANCELLATION",
        severity: "major",
        measure: {},
        evidence: { orderTotalMinor: 8_000, orderSubtotalMinor: 8_000 },
        rootCause: { productIds: [], carriers: [], locations: [] },
        occurredAt: new Date(detectedAt.getTime() - HOUR),
        detectedAt,
        decision: arm ? "OFFER" : "HOLDOUT",
        holdout: arm === null,
        explanation: [],
        // What attribution records: the customer's first order within the window after detection.
        ...(returned
          ? {
              returnedAt: won.wonBackAt,
              returnedOrderGid: won.wonBackOrderGid,
              returnedMinor: won.wonBackMinor,
            }
          : {}),
      });
      const base = {
        shop,
        incidentId: id,
        customerGid,
        cell: (arm?.offer ?? {}) as Prisma.InputJsonValue,
        gridVersion: options.gridVersion,
        currency: "USD",
        approval: "AUTO" as const,
        summary: "",
        issueKey: `arms-${id}`,
        explanation: [],
      };
      if (arm === null) offers.push({ ...base, kind: "NONE", faceValueMinor: 0, status: "HOLDOUT", ...won });
      else {
        const issuedAt = new Date(detectedAt.getTime() + (arm.timing === "NEXT_MORNING" ? 18 : 0.1) * HOUR);
        offers.push({
          ...base,
          kind: arm.offer.kind,
          faceValueMinor: arm.offer.kind === "STORE_CREDIT" ? arm.offer.value : 1_200,
          status: "ISSUED",
          createdAt: new Date(detectedAt.getTime() + 1_000),
          issuedAt,
          expiresAt: new Date(issuedAt.getTime() + (arm.offer.expiryDays ?? 30) * DAY),
          ...won,
        });
      }
      assignments.push({
        shop,
        incidentId: id,
        experimentKey: experiment.key,
        arm: arm?.index ?? null,
        label: arm?.label ?? null,
        arms: experiment.arms.length,
        timing: arm?.timing ?? null,
        timingOnly,
        gridVersion: options.gridVersion,
        createdAt: new Date(detectedAt.getTime() + 1_000),
      });
    }
  }
  await prisma.incident.createMany({ data: incidents });
  await prisma.offer.createMany({ data: offers });
  await prisma.armAssignment.createMany({ data: assignments });
  return ids;
}

/** The customer rates the incident's recovery through the rating link's service, as the public page does. */
async function rate(incidentId: string, score: number): Promise<void> {
  const { shop, sandbox } = browser.demo;
  const token = signRatingToken(ratingKey(), {
    shop,
    incidentId,
    expiresAt: new Date(sandbox.clock.now().getTime() + RATING_LINK_MS),
  });
  expect(await recordRating({ token, score, channel: "WEB" })).toMatchObject({ kind: "RECORDED", score });
}

/** The card's content: the nearest box around its heading that holds a table (Polaris cards carry no role of their own). */
const card = () =>
  browser.page.getByRole("heading", { name: "Which make-good works?" }).locator("xpath=ancestor::div[.//table][1]");

/** The texts of a table row's cells, the row found by its first cell (Polaris makes it a row header). */
/**
 * The cells of the row whose first cell starts with the line `first`. The readout's first cell holds
 * the arm's name over its make-good: its lines come out as two entries (name, make-good).
 */
async function rowOf(table: Locator, first: string): Promise<string[]> {
  await table.getByRole("rowheader").first().waitFor();
  for (const row of await table.getByRole("row").all()) {
    const [head = "", ...rest] = (await row.locator("th, td").allInnerTexts()).map((t) => t.trim());
    const lines = head
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    if (lines[0] === first) return [...lines, ...rest];
  }
  throw new Error(`no row starting with ${first}`);
}

const CODE_VS_CREDIT = experimentKey(EXPERIMENT);

test("the experiment's readout: each arm against the held-out customers, the winner proposed, CSAT per arm, accessible", async () => {
  screenshotOnFailure("experiment-result");
  await browser.signIn();
  const { page } = browser;
  const gridVersion = await runInMajorVip(EXPERIMENT);
  await readEveryRoundOf(ROUND);
  const ids = await seedExperiment({
    cell: EXPERIMENT,
    gridVersion,
    prefix: "90",
    groups: [
      { arm: null, incidents: 40, returned: 4 },
      { arm: 0, incidents: 80, returned: 16 },
      { arm: 1, incidents: 80, returned: 48 },
    ],
  });
  // Arm B's customers rated six recoveries (enough to read), arm A's two (too few).
  for (const [k, score] of [5, 5, 4, 4, 5, 3].entries()) await rate(ids.get(1)![k]!, score);
  for (const [k, score] of [4, 3].entries()) await rate(ids.get(0)![k]!, score);

  await browser.gotoApp("/app");
  await page.getByRole("heading", { name: "Which make-good works?" }).waitFor({ timeout: 20_000 });
  const arms = card().getByRole("table").first();
  await card().getByText("Runs in Major × VIP. Readout 1 of 1.").waitFor();

  const armA = await rowOf(arms, "Arm A");
  expect(armA.slice(0, 3)).toEqual([
    "Arm A",
    "15% code, 30-day expiry",
    expect.stringMatching(/^20% of 80 \(95%: \d+–\d+%\)$/),
  ]);
  expect(armA[3]).toMatch(/^\+10 pts \([−+]?\d+ pts to \+\d+ pts\)$/);
  const armB = await rowOf(arms, "Arm B (“$10 credit”)");
  expect(armB.slice(0, 3)).toEqual([
    "Arm B (“$10 credit”)",
    "$10 store credit, 60-day expiry",
    expect.stringMatching(/^60% of 80 \(95%: \d+–\d+%\)$/),
  ]);
  // Against the held-out customers, arm B's lift is clearly above zero.
  expect(armB[3]).toMatch(/^\+50 pts \(\+\d+ pts to \+\d+ pts\)$/);
  const heldOut = await rowOf(arms, "Held out");
  expect(heldOut.slice(0, 4)).toEqual([
    "Held out",
    "No make-good",
    expect.stringMatching(/^10% of 40 \(95%: \d+–\d+%\)$/),
    "–",
  ]);

  await card()
    .getByText(
      /^Customers given arm B \(“\$10 credit”\) ordered again 60% of the time, arm A 20%: 40 points more \(95% interval \d+ to \d+ points\)\. Arm B \(“\$10 credit”\) works better: you can make it this cell's only make-good\.$/,
    )
    .waitFor();
  await card().getByRole("button", { name: "Make arm B (“$10 credit”) this cell's only make-good" }).waitFor();

  // CSAT per arm: arm B 4.3 / 5 with 5 of 6 satisfied; arm A's two ratings too few to read.
  await card().getByRole("heading", { name: "Satisfaction per arm" }).waitFor();
  const csat = card().getByRole("table").last();
  expect(await rowOf(csat, "Arm B (“$10 credit”)")).toEqual(["Arm B (“$10 credit”)", "6", "4.3 / 5", "83%"]);
  expect(await rowOf(csat, "Arm A (too few to read)")).toEqual(["Arm A (too few to read)", "2", "–", "–"]);
  await card().getByText("An arm with fewer than 5 responses is too few to read.").waitFor();

  // The readout is wider than the card: its scroll container is a named region in the tab order, so a
  // keyboard can scroll it (axe's scrollable-region-focusable), and so is the CSAT table's.
  const readout = card().getByRole("region", { name: "Readout 1 of Arm A, Arm B (“$10 credit”)" });
  expect(await readout.getAttribute("tabindex")).toBe("0");
  expect(await readout.getByRole("table").count()).toBe(1);
  await card().getByRole("region", { name: "Satisfaction per arm: Arm A, Arm B (“$10 credit”)" }).waitFor();
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("experiment-result");
  expect(browser.browserErrors).toEqual([]);
});

test("the proposal, clicked by the owner, saves a new grid version whose cell gives arm B's make-good alone", async () => {
  screenshotOnFailure("experiment-adopt");
  const { page, demo } = browser;
  const before = await currentGrid(demo.shop);
  expect(cellExperiment(before.grid.cells.major.VIP)?.key).toBe(CODE_VS_CREDIT);

  await card().getByRole("button", { name: "Make arm B (“$10 credit”) this cell's only make-good" }).click();
  const toast = page.getByRole("status").filter({
    hasText: `Arm B (“$10 credit”) is now the only make-good of its cell (grid v${before.version + 1}).`,
  });
  await toast.waitFor();
  // The experiment no longer runs: its readout stays, the proposal goes.
  await card()
    .getByText("Ended: the cell's arms were changed or removed. Its readouts stay here. Readout 1 of 1.")
    .waitFor();
  expect(
    await card()
      .getByRole("button", { name: /this cell's only make-good$/ })
      .count(),
  ).toBe(0);

  const after = await currentGrid(demo.shop);
  expect(after.version).toBe(before.version + 1);
  expect(after.grid.cells.major.VIP).toEqual(gridCellSchema.parse(CREDIT));
  expect(after.grid.cells.major.VIP.arms).toBeUndefined();
  expect(after.createdBy).toMatch(/\(staff [^)]+\)$/);
  // Every other cell is as it was.
  expect({ ...after.grid, cells: { ...after.grid.cells, major: { ...after.grid.cells.major, VIP: null } } }).toEqual({
    ...before.grid,
    cells: { ...before.grid.cells, major: { ...before.grid.cells.major, VIP: null } },
  });

  await browser.gotoApp("/app/grid");
  await page.getByRole("button", { name: "Edit Major × VIP: $10 store credit, 60 days, auto" }).waitFor();
  expect(await page.getByRole("button", { name: /^Edit Major × VIP: Experiment/ }).count()).toBe(0);
  expect(browser.browserErrors).toEqual([]);
});

test("a timing experiment: same-day against next-morning make-goods, in the same-day sentence", async () => {
  screenshotOnFailure("experiment-timing");
  const { page } = browser;
  const gridVersion = await runInMajorVip(TIMING);
  await seedExperiment({
    cell: TIMING,
    gridVersion,
    prefix: "91",
    groups: [
      { arm: null, incidents: 40, returned: 4 },
      { arm: 0, incidents: 80, returned: 40 },
      { arm: 1, incidents: 80, returned: 16 },
    ],
  });

  await browser.gotoApp("/app");
  await page.getByRole("heading", { name: "Which make-good works?" }).waitFor({ timeout: 20_000 });
  const sentence = card().getByText(
    /^Same-day make-goods brought back 50% vs 20% next morning \(difference 30 points, 95% interval \d+ to \d+ points\)\. Same-day works better: you can make it this cell's only make-good\.$/,
  );
  await sentence.waitFor();
  const timing = card()
    .getByRole("table")
    .filter({ has: page.getByRole("rowheader", { name: /^Arm B \(“Next morning”\)/ }) });
  expect((await rowOf(timing, "Arm B (“Next morning”)")).slice(0, 3)).toEqual([
    "Arm B (“Next morning”)",
    "$10 store credit, 60-day expiry, issued the next morning",
    expect.stringMatching(/^20% of 80 /),
  ]);
  expect((await rowOf(timing, "Arm A (“Same day”)")).slice(0, 3)).toEqual([
    "Arm A (“Same day”)",
    "$10 store credit, 60-day expiry",
    expect.stringMatching(/^50% of 80 /),
  ]);
  await card().getByRole("button", { name: "Make arm A (“Same day”) this cell's only make-good" }).waitFor();
  // The first experiment, ended, still reads beside it.
  await card()
    .getByText(/^Customers given arm B \(“\$10 credit”\) ordered again 60%/)
    .waitFor();
  await expectNoSeriousA11yViolations(page);
  await browser.screenshot("experiment-timing");
  expect(browser.browserErrors).toEqual([]);
});
