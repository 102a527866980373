import { expect, test } from "vitest";
import { DEFAULT_GRID } from "./default-grid";
import {
  describeCellDraft,
  draftFromGrid,
  draftVariantIds,
  gridDraftSchema,
  withArmAdded,
  withArmChanged,
  withArmRemoved,
  withExperimentStarted,
  withTimingExperimentStarted,
  type CellDraft,
} from "./editing";
import { cellExperiment } from "../experiments/arms";
import { diffGrids, summarizeChanges } from "./diff";
import { gridSchema, type Grid } from "./schema";

// Adding and editing an experiment's arms in the grid editor (issue 16 part 7, decision 0119).
const USD = "USD";
const code = (): CellDraft => ({
  kind: "DISCOUNT_PERCENT",
  value: "20",
  expiryDays: "60",
  approval: "AUTO",
  messageTemplateKey: "standard",
  variantId: "",
  quantity: "1",
});

function saved(cell: CellDraft) {
  const draft = draftFromGrid(DEFAULT_GRID, USD);
  draft.cells.major.VIP = cell;
  return gridDraftSchema(USD).safeParse(draft);
}

function issueAt(cell: CellDraft, path: string) {
  const result = saved(cell);
  expect(result.success).toBe(false);
  return result.error?.issues.find((i) => i.path.join(".") === path)?.message;
}

test("trying another make-good makes the cell's make-good arm A and adds store credit as arm B, saved as arms", () => {
  const cell = withExperimentStarted(code());
  expect(cell.experiment?.others).toHaveLength(1);
  expect(cell.experiment?.others[0]?.offer).toMatchObject({ kind: "STORE_CREDIT", value: "10.00", expiryDays: "60" });
  const labelled = withArmChanged({ ...cell, experiment: { ...cell.experiment!, labelA: " Code " } }, 1, {
    label: "Credit",
    offer: { ...cell.experiment!.others[0]!.offer, value: "12.50" },
  });
  const result = saved(labelled);
  expect(result.error?.issues).toBeUndefined();
  const stored = result.data!.cells.major.VIP;
  expect(stored).toMatchObject({ kind: "DISCOUNT_PERCENT", value: 20, expiryDays: 60 });
  expect(stored.arms).toEqual([
    {
      label: "Code",
      offer: { kind: "DISCOUNT_PERCENT", value: 20, expiryDays: 60, approval: "AUTO", messageTemplateKey: "standard" },
    },
    {
      label: "Credit",
      offer: { kind: "STORE_CREDIT", value: 1250, expiryDays: 60, approval: "AUTO", messageTemplateKey: "standard" },
    },
  ]);
});

test("arm B starts as a percent code when the cell already gives store credit", () => {
  const cell = withExperimentStarted({ ...code(), kind: "STORE_CREDIT", value: "25.00" });
  expect(cell.experiment?.others[0]?.offer.kind).toBe("DISCOUNT_PERCENT");
});

test("a grid with arms goes through the editor unchanged, labels and gift arms included", () => {
  const grid: Grid = gridSchema.parse({
    ...DEFAULT_GRID,
    cells: {
      ...DEFAULT_GRID.cells,
      minor: {
        ...DEFAULT_GRID.cells.minor,
        NEW: {
          kind: "DISCOUNT_PERCENT",
          value: 10,
          expiryDays: 30,
          approval: "AUTO",
          arms: [
            { offer: { kind: "DISCOUNT_PERCENT", value: 10, expiryDays: 30, approval: "AUTO" } },
            {
              label: "Gift",
              offer: {
                kind: "GIFT_PRODUCT",
                value: { variantId: "gid://shopify/ProductVariant/7", quantity: 2 },
                approval: "STAFF",
              },
            },
            { offer: { kind: "GIFT_CARD", value: 500, expiryDays: null, approval: "AUTO" } },
          ],
        },
      },
    },
  });
  const draft = draftFromGrid(grid, USD);
  expect(draft.cells.minor.NEW.experiment?.others.map((a) => a.label)).toEqual(["Gift", ""]);
  expect(draftVariantIds(draft)).toContain("gid://shopify/ProductVariant/7");
  const after = gridDraftSchema(USD).parse(draft);
  // The editor writes every field of an arm's offer (the template key too): the same make-goods,
  // so no change in the history and the same experiment (its key hashes the parsed offers).
  expect(diffGrids(grid, after)).toEqual([]);
  expect(cellExperiment(after.cells.minor.NEW)?.key).toBe(cellExperiment(grid.cells.minor.NEW)?.key);
  expect(after.cells.minor.NEW.arms?.map((a) => a.label)).toEqual([undefined, "Gift", undefined]);
});

test("the history names an experiment added to a cell", () => {
  const draft = draftFromGrid(DEFAULT_GRID, USD);
  draft.cells.major.VIP = withExperimentStarted(code());
  const after = gridDraftSchema(USD).parse(draft);
  expect(summarizeChanges(diffGrids(DEFAULT_GRID, after), USD)).toMatch(
    /^1 change: major × VIP: .* → experiment A \(20% code, 60-day expiry, auto\) vs B \(\$10 store credit, 60-day expiry, auto\)$/,
  );
});

test("a stored experiment whose own make-good differs from arm A shows arm A as the cell's make-good", () => {
  const grid: Grid = gridSchema.parse({
    ...DEFAULT_GRID,
    cells: {
      ...DEFAULT_GRID.cells,
      minor: {
        ...DEFAULT_GRID.cells.minor,
        NEW: {
          kind: "NONE",
          approval: "AUTO",
          arms: [
            { offer: { kind: "DISCOUNT_PERCENT", value: 15, expiryDays: 30, approval: "AUTO" } },
            { offer: { kind: "STORE_CREDIT", value: 1000, expiryDays: 30, approval: "AUTO" } },
          ],
        },
      },
    },
  });
  const cell = draftFromGrid(grid, USD).cells.minor.NEW;
  expect(cell).toMatchObject({ kind: "DISCOUNT_PERCENT", value: "15", expiryDays: "30" });
  const parsed = gridDraftSchema(USD).parse(draftFromGrid(grid, USD)).cells.minor.NEW;
  expect(cellExperiment(parsed)?.key).toBe(cellExperiment(grid.cells.minor.NEW)?.key);
  expect(parsed).toMatchObject({ kind: "DISCOUNT_PERCENT", value: 15 });
});

test.each([
  ["a percent over 100", { kind: "DISCOUNT_PERCENT", value: "150" }, "value", /at most 100/],
  ["an amount with three decimals", { kind: "STORE_CREDIT", value: "10.005" }, "value", /amount in USD/],
  ["an expiry of 0 days", { kind: "STORE_CREDIT", value: "10.00", expiryDays: "0" }, "expiryDays", /at least 1 day/],
  [
    "a gift without a variant",
    { kind: "GIFT_PRODUCT", value: "", expiryDays: "" },
    "value.variantId",
    /choose the product variant/,
  ],
  ["an unknown template", { messageTemplateKey: "nope" }, "messageTemplateKey", /./],
] as const)("%s in arm B is reported at arm B's field only", (_name, patch, field, message) => {
  const started = withExperimentStarted(code());
  const cell = withArmChanged(started, 1, { label: "", offer: { ...started.experiment!.others[0]!.offer, ...patch } });
  expect(issueAt(cell, `cells.major.VIP.arms.1.offer.${field}`)).toMatch(message);
  // Nothing is reported at the cell's own field of the same name: arm A is fine.
  expect(saved(cell).error?.issues.some((i) => i.path.join(".") === `cells.major.VIP.${field}`)).toBe(false);
});

test("arm A's problem shows at the cell's own field, where the editor shows arm A", () => {
  const cell = withExperimentStarted({ ...code(), value: "150" });
  expect(issueAt(cell, "cells.major.VIP.value")).toMatch(/at most 100/);
});

test("a label over 40 characters is refused at the arm's label", () => {
  const started = withExperimentStarted(code());
  const cell = withArmChanged(started, 1, { ...started.experiment!.others[0]!, label: "x".repeat(41) });
  expect(issueAt(cell, "cells.major.VIP.arms.1.label")).toMatch(/at most 40/);
});

test("an experiment and the customer's preferred kind in one cell are refused at the arms", () => {
  const cell = withExperimentStarted({
    ...code(),
    preferredKind: { DISCOUNT_CODE: "", STORE_CREDIT: "10.00", GIFT_CARD: "" },
  });
  expect(issueAt(cell, "cells.major.VIP.arms")).toMatch(/cannot also use the customer's preferred kind/);
});

test("arms are added up to four and removed with the later ones moving up; removing the last ends the experiment", () => {
  let cell = withExperimentStarted(code());
  cell = withArmAdded(cell);
  cell = withArmAdded(cell);
  expect(cell.experiment?.others).toHaveLength(3);
  expect(withArmAdded(cell)).toBe(cell);
  cell = withArmChanged(cell, 3, { ...cell.experiment!.others[2]!, label: "D" });
  const without = withArmRemoved(cell, 1);
  expect(without.experiment?.others.map((a) => a.label)).toEqual(["", "D"]);
  const four = saved(cell);
  expect(four.data?.cells.major.VIP.arms).toHaveLength(4);
  const ended = withArmRemoved(withExperimentStarted(code()), 1);
  expect(ended).toEqual(code());
  expect(saved(ended).data?.cells.major.VIP.arms).toBeUndefined();
});

test("the cell's summary names the experiment's arms in order", () => {
  const started = withExperimentStarted(code());
  const cell = withArmChanged({ ...started, experiment: { ...started.experiment!, labelA: "Code" } }, 1, {
    label: "",
    offer: started.experiment!.others[0]!.offer,
  });
  expect(describeCellDraft(cell, USD)).toBe(
    "Experiment: A “Code” (20% code, 60 days, auto) vs B ($10 store credit, 60 days, auto)",
  );
});

test("now vs next morning: arm B gives arm A's make-good at the shop's next morning; saved, read back and summarised", () => {
  const cell = withTimingExperimentStarted(code());
  expect(describeCellDraft(cell, USD)).toBe(
    "Experiment: A “Same day” (20% code, 60 days, auto) vs B “Next morning” (20% code, 60 days, auto, next morning)",
  );
  const result = saved(cell);
  expect(result.error?.issues).toBeUndefined();
  const stored = result.data!.cells.major.VIP;
  const offer = {
    kind: "DISCOUNT_PERCENT",
    value: 20,
    expiryDays: 60,
    approval: "AUTO",
    messageTemplateKey: "standard",
  };
  expect(stored.arms).toEqual([
    { label: "Same day", offer },
    { label: "Next morning", offer, timing: "NEXT_MORNING" },
  ]);
  expect(cellExperiment(stored)).toMatchObject({ timingOnly: true });
  // Read back into the editor and saved again: the same arms, the same experiment.
  const again = gridDraftSchema(USD).parse(draftFromGrid(result.data!, USD));
  expect(diffGrids(result.data!, again)).toEqual([]);
  expect(again.cells.major.VIP.arms).toEqual(stored.arms);
  expect(summarizeChanges(diffGrids(DEFAULT_GRID, result.data!), USD)).toMatch(
    /B “Next morning” \(20% code, 60-day expiry, auto, next morning\)$/,
  );
  // Arm A can wait too, chosen in the editor.
  const both = { ...cell, experiment: { ...cell.experiment!, timingA: "NEXT_MORNING" as const } };
  expect(saved(both).data!.cells.major.VIP.arms?.[0]).toMatchObject({ timing: "NEXT_MORNING" });
});
