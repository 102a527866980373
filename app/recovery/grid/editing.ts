/**
 * The grid as a merchant edits it. Stored cells keep money in minor units and
 * numbers as numbers; the editor holds what the merchant typed (decimal money
 * in the shop currency, "" for an empty field), so a half-typed value is never
 * rounded or lost. `gridDraftSchema(currency)` turns a draft back into a grid
 * and reports each problem at the field's path ("cells.major.VIP.value"), the
 * same path the page shows the message beside.
 */
import { ARM_LETTERS, ARM_TIMINGS, MAX_ARMS, type ArmTiming } from "../experiments/arms-field";
import { z } from "zod";
import { RecoveryError } from "../errors";
import { formatMoney, fromMinorUnits, toMinorUnits } from "../money";
import {
  APPROVALS,
  INCIDENT_TYPES,
  OFFER_KINDS,
  SEVERITIES,
  TIERS,
  type Approval,
  type IncidentType,
  type OfferKind,
  type Severity,
  type Tier,
} from "../vocabulary";
import { APPROVAL_SHORT_LABELS } from "../words";
import { PREFERABLE_KINDS, type PreferableKind } from "../preference/preference";
import { LIFECYCLE_STAGES, type LifecycleStage } from "../lifecycle/lifecycle";
import {
  gridCellSchema,
  gridSchema,
  writableGridCellSchema,
  type Grid,
  type GridCell,
  type GridCellInput,
} from "./schema";

export interface CellDraft {
  kind: OfferKind;
  /** Percent for DISCOUNT_PERCENT, a decimal amount in the shop currency for money kinds, "" otherwise. */
  value: string;
  /** Whole days as typed; "" means no expiry (allowed for gift cards only). */
  expiryDays: string;
  approval: Approval;
  messageTemplateKey: string;
  /** GIFT_PRODUCT only. */
  variantId: string;
  quantity: string;
  /** REPLACEMENT only: the shipping method's name ("Express"); `value` is what it costs the shop. */
  shippingTitle?: string;
  /**
   * The "customer's preferred kind" option (decision 0114): the equivalent of each kind as typed
   * (percent for the code, a decimal amount for credit and gift card), "" for none. Absent: off.
   */
  preferredKind?: PreferredKindDraft;
  /**
   * An experiment in this cell (decision 0119): arm A is the cell's own make-good above (its
   * label here), the other arms follow (B, C, D). Absent: no experiment.
   */
  experiment?: ExperimentDraft;
}

/** One arm after A: its optional label ("" for none) and its make-good as typed. */
export interface ArmDraft {
  label: string;
  offer: OfferDraft;
  /** When its make-good is issued; absent: at once. */
  timing?: ArmTiming;
}

export interface ExperimentDraft {
  /** Arm A's label, "" for none. */
  labelA: string;
  /** When arm A's make-good is issued; absent: at once. */
  timingA?: ArmTiming;
  /** Arms B, C, D: one to three. */
  others: ArmDraft[];
}

/** A make-good as typed, without the cell-only options (the preferred kind, an experiment). */
export type OfferDraft = Omit<CellDraft, "preferredKind" | "experiment">;

export type PreferredKindDraft = Record<PreferableKind, string>;

export const EMPTY_PREFERRED_KIND: PreferredKindDraft = { DISCOUNT_CODE: "", STORE_CREDIT: "", GIFT_CARD: "" };

export type CellsDraft = Record<Severity, Record<Tier, CellDraft>>;
export type OverridesDraft = Partial<Record<IncidentType, Partial<Record<Severity, Partial<Record<Tier, CellDraft>>>>>>;

/** A lifecycle stage's cells (decision 0115): sparse like the per-type overrides. */
export type StageOverridesDraft = Partial<
  Record<LifecycleStage, Partial<Record<Severity, Partial<Record<Tier, CellDraft>>>>>
>;

export interface GridDraft {
  cells: CellsDraft;
  overrides: OverridesDraft;
  percentBasketCapMinor: number;
  /** Absent in a draft made before stages existed: none. */
  stageOverrides?: StageOverridesDraft;
}

/** Kinds whose value is money in the shop currency. */
export const MONEY_KINDS: readonly OfferKind[] = ["DISCOUNT_FIXED", "STORE_CREDIT", "GIFT_CARD"];

function preferredKindDraft(cell: GridCell, currency: string): { preferredKind?: PreferredKindDraft } {
  if (cell.kind === "NONE" || !cell.preferredKind) return {};
  const option = cell.preferredKind;
  const money = (minor: number | undefined) => (minor === undefined ? "" : fromMinorUnits(minor, currency));
  return {
    preferredKind: {
      DISCOUNT_CODE: option.DISCOUNT_CODE === undefined ? "" : String(option.DISCOUNT_CODE),
      STORE_CREDIT: money(option.STORE_CREDIT),
      GIFT_CARD: money(option.GIFT_CARD),
    },
  };
}

export function draftFromCell(cell: GridCell, currency: string): CellDraft {
  if (cell.arms) return experimentDraftFromCell(cell, cell.arms, currency);
  return { ...ownDraftFromCell(cell, currency), ...preferredKindDraft(cell, currency) };
}

/**
 * A cell with an experiment: the editor shows arm A as the cell's own make-good (decision 0119).
 * A cell saved through the API whose own make-good differs from arm A (it is never given while
 * the experiment runs) takes arm A's on its next save here.
 */
function experimentDraftFromCell(cell: GridCell, arms: NonNullable<GridCell["arms"]>, currency: string): CellDraft {
  // The grid checked each arm's offer with the cell schema; parsing again gives it its type.
  const offers = arms.map((arm) => gridCellSchema.parse(arm.offer));
  const [first, ...rest] = offers;
  return {
    ...ownDraftFromCell(first ?? cell, currency),
    experiment: {
      labelA: arms[0]?.label ?? "",
      ...(arms[0]?.timing === "NEXT_MORNING" ? { timingA: arms[0].timing } : {}),
      others: rest.map((offer, i) => {
        const timing = arms[i + 1]?.timing;
        return {
          label: arms[i + 1]?.label ?? "",
          offer: ownDraftFromCell(offer, currency),
          ...(timing === "NEXT_MORNING" ? { timing } : {}),
        };
      }),
    },
  };
}

function ownDraftFromCell(cell: GridCell, currency: string): OfferDraft {
  const base = {
    kind: cell.kind,
    approval: cell.approval,
    messageTemplateKey: cell.messageTemplateKey,
    expiryDays: cell.expiryDays === null ? "" : String(cell.expiryDays),
    variantId: "",
    quantity: "1",
  };
  switch (cell.kind) {
    case "DISCOUNT_PERCENT":
      return { ...base, value: String(cell.value) };
    case "DISCOUNT_FIXED":
    case "STORE_CREDIT":
    case "GIFT_CARD":
      return { ...base, value: fromMinorUnits(cell.value, currency) };
    case "GIFT_PRODUCT":
      return {
        ...base,
        value: "",
        variantId: cell.value.variantId,
        quantity: String(cell.value.quantity),
      };
    case "NONE":
      return { ...base, value: "" };
    case "REPLACEMENT":
      return {
        ...base,
        value: fromMinorUnits(cell.value.shippingCostMinor, currency),
        shippingTitle: cell.value.shippingTitle,
      };
  }
}

export function draftFromGrid(grid: Grid, currency: string): GridDraft {
  const row = (cells: Partial<Record<Tier, GridCell>>) =>
    Object.fromEntries(
      Object.entries(cells).flatMap(([tier, cell]) => (cell ? [[tier, draftFromCell(cell, currency)]] : [])),
    );
  const overrides: OverridesDraft = {};
  for (const [type, rows] of Object.entries(grid.overrides) as Array<[IncidentType, Grid["overrides"][IncidentType]]>) {
    const converted = Object.fromEntries(
      Object.entries(rows ?? {}).flatMap(([severity, cells]) =>
        cells && Object.keys(cells).length > 0 ? [[severity, row(cells)]] : [],
      ),
    );
    if (Object.keys(converted).length > 0) overrides[type] = converted;
  }
  const stageOverrides: StageOverridesDraft = {};
  for (const stage of LIFECYCLE_STAGES) {
    const converted = Object.fromEntries(
      Object.entries(grid.stageOverrides[stage] ?? {}).flatMap(([severity, cells]) =>
        cells && Object.keys(cells).length > 0 ? [[severity, row(cells)]] : [],
      ),
    );
    if (Object.keys(converted).length > 0) stageOverrides[stage] = converted;
  }
  return {
    cells: Object.fromEntries(SEVERITIES.map((s) => [s, row(grid.cells[s])])) as CellsDraft,
    overrides,
    percentBasketCapMinor: grid.percentBasketCapMinor,
    stageOverrides,
  };
}

/** A fresh cell of a kind, keeping what still applies (approval, template, expiry) from the one it replaces. */
export function blankCellDraft(kind: OfferKind, from?: CellDraft): CellDraft {
  return {
    ...blankOfferDraft(kind, from),
    // The equivalents stay as typed: the merchant is changing the cell's own kind, not the option.
    ...(kind !== "NONE" && from?.preferredKind ? { preferredKind: from.preferredKind } : {}),
    ...(from?.experiment ? { experiment: from.experiment } : {}),
  };
}

/** A fresh make-good of a kind (an arm's, or a cell's without its options). */
export function blankOfferDraft(kind: OfferKind, from?: OfferDraft): OfferDraft {
  const keepsExpiry = kind !== "GIFT_PRODUCT" && kind !== "NONE" && kind !== "REPLACEMENT";
  const expiry = keepsExpiry ? from?.expiryDays || "60" : "";
  return {
    kind,
    value:
      kind === "DISCOUNT_PERCENT" ? "10" : MONEY_KINDS.includes(kind) ? "10.00" : kind === "REPLACEMENT" ? "15.00" : "",
    expiryDays: expiry,
    approval: from?.approval ?? "AUTO",
    messageTemplateKey: from?.messageTemplateKey ?? "standard",
    variantId: "",
    quantity: "1",
    ...(kind === "REPLACEMENT" ? { shippingTitle: from?.shippingTitle ?? "Express" } : {}),
  };
}

/**
 * "Try another make-good (experiment)": arm A is the cell's make-good, arm B starts as another
 * kind (store credit, or a percent code when A already is store credit), approval and template kept.
 */
export function withExperimentStarted(cell: CellDraft): CellDraft {
  if (cell.experiment) return cell;
  return { ...cell, experiment: { labelA: "", others: [{ label: "", offer: nextArmOffer(cell) }] } };
}

/**
 * "Try now vs next morning (experiment)": arm B gives the same make-good as A, issued at the
 * shop's next morning, to ask whether same-day matters.
 */
export function withTimingExperimentStarted(cell: CellDraft): CellDraft {
  if (cell.experiment) return cell;
  const offer: OfferDraft = { ...cell };
  delete (offer as CellDraft).preferredKind;
  return {
    ...cell,
    experiment: {
      labelA: "Same day",
      others: [{ label: "Next morning", offer, timing: "NEXT_MORNING" }],
    },
  };
}

function nextArmOffer(cell: CellDraft): OfferDraft {
  return blankOfferDraft(cell.kind === "STORE_CREDIT" ? "DISCOUNT_PERCENT" : "STORE_CREDIT", cell);
}

/** Another arm (C, D), up to four in all; at four the cell is returned unchanged. */
export function withArmAdded(cell: CellDraft): CellDraft {
  const experiment = cell.experiment;
  if (!experiment) return withExperimentStarted(cell);
  if (experiment.others.length + 1 >= MAX_ARMS) return cell;
  return {
    ...cell,
    experiment: { ...experiment, others: [...experiment.others, { label: "", offer: nextArmOffer(cell) }] },
  };
}

/**
 * Without arm `index` (1 = B): later arms move up a letter. Removing the last arm after A ends the
 * experiment; arm A stays the cell's make-good.
 */
export function withArmRemoved(cell: CellDraft, index: number): CellDraft {
  const experiment = cell.experiment;
  if (!experiment || index < 1 || index > experiment.others.length) return cell;
  const others = experiment.others.filter((_, i) => i !== index - 1);
  if (others.length > 0) return { ...cell, experiment: { ...experiment, others } };
  const ended = { ...cell };
  delete ended.experiment;
  return ended;
}

/** Arm `index` (1 = B) changed. */
export function withArmChanged(cell: CellDraft, index: number, arm: ArmDraft): CellDraft {
  const experiment = cell.experiment;
  if (!experiment || index < 1 || index > experiment.others.length) return cell;
  return {
    ...cell,
    experiment: { ...experiment, others: experiment.others.map((a, i) => (i === index - 1 ? arm : a)) },
  };
}

// "" and anything not a plain number become NaN, so the grid schema's own "must be a number" message applies.
const numberOf = (text: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN);

/** Where a conversion reports a field it cannot read (zod's refinement context, or one that prefixes paths). */
type IssueSink = Pick<z.RefinementCtx, "addIssue">;

function cellInputFrom(draft: CellDraft, currency: string, ctx: z.RefinementCtx): GridCellInput | typeof z.NEVER {
  const own = ownCellInputFrom(draft, currency, ctx);
  // An apology only has no equivalents: the option is dropped with the kind.
  if (draft.kind === "NONE" || !draft.preferredKind) return own;
  const option: Partial<Record<PreferableKind, number>> = {};
  let ok = true;
  for (const kind of PREFERABLE_KINDS) {
    const text = draft.preferredKind[kind].trim();
    if (text === "") continue;
    if (kind === "DISCOUNT_CODE") {
      option[kind] = numberOf(text);
      continue;
    }
    try {
      option[kind] = toMinorUnits(text, currency);
    } catch (error) {
      if (!(error instanceof RecoveryError)) throw error;
      ctx.addIssue({
        code: "custom",
        path: ["preferredKind", kind],
        message: `enter an amount in ${currency}, e.g. 10.00`,
      });
      ok = false;
    }
  }
  // z.NEVER (the cell's own fields did not convert) carries no kind.
  return ok && "kind" in own ? ({ ...own, preferredKind: option } as GridCellInput) : z.NEVER;
}

function ownCellInputFrom(draft: OfferDraft, currency: string, ctx: IssueSink): GridCellInput | typeof z.NEVER {
  const common = {
    approval: draft.approval,
    messageTemplateKey: draft.messageTemplateKey.trim(),
  };
  const expiryDays = numberOf(draft.expiryDays);
  switch (draft.kind) {
    case "DISCOUNT_PERCENT":
      return {
        kind: draft.kind,
        value: numberOf(draft.value),
        expiryDays,
        ...common,
      };
    case "DISCOUNT_FIXED":
    case "STORE_CREDIT":
    case "GIFT_CARD": {
      let value: number;
      try {
        value = toMinorUnits(draft.value, currency);
      } catch (error) {
        if (!(error instanceof RecoveryError)) throw error;
        ctx.addIssue({
          code: "custom",
          path: ["value"],
          message: `enter an amount in ${currency}, e.g. 10.00`,
        });
        return z.NEVER;
      }
      if (draft.kind === "GIFT_CARD")
        return {
          kind: draft.kind,
          value,
          expiryDays: draft.expiryDays.trim() === "" ? null : expiryDays,
          ...common,
        };
      return { kind: draft.kind, value, expiryDays, ...common };
    }
    case "GIFT_PRODUCT":
      if (draft.variantId.trim() === "") {
        ctx.addIssue({
          code: "custom",
          path: ["value", "variantId"],
          message: "choose the product variant to send",
        });
        return z.NEVER;
      }
      return {
        kind: draft.kind,
        value: {
          variantId: draft.variantId,
          quantity: numberOf(draft.quantity),
        },
        ...common,
      };
    case "NONE":
      return { kind: draft.kind, ...common };
    case "REPLACEMENT": {
      let shippingCostMinor: number;
      try {
        shippingCostMinor = toMinorUnits(draft.value, currency);
      } catch (error) {
        if (!(error instanceof RecoveryError)) throw error;
        ctx.addIssue({
          code: "custom",
          path: ["value", "shippingCostMinor"],
          message: `enter what the shipping costs the shop in ${currency}, e.g. 15.00 (0.00 if nothing)`,
        });
        return z.NEVER;
      }
      return {
        kind: draft.kind,
        value: { shippingTitle: draft.shippingTitle ?? "", shippingCostMinor },
        ...common,
      };
    }
  }
}

const offerDraftShape = z.object({
  kind: z.enum(OFFER_KINDS),
  value: z.string().default(""),
  expiryDays: z.string().default(""),
  approval: z.enum(APPROVALS),
  messageTemplateKey: z.string().default("standard"),
  variantId: z.string().default(""),
  quantity: z.string().default("1"),
  shippingTitle: z.string().optional(),
});

const cellDraftShape = offerDraftShape.extend({
  preferredKind: z
    .object({
      DISCOUNT_CODE: z.string().default(""),
      STORE_CREDIT: z.string().default(""),
      GIFT_CARD: z.string().default(""),
    })
    .optional(),
  experiment: z
    .object({
      labelA: z.string().default(""),
      timingA: z.enum(ARM_TIMINGS).optional(),
      others: z.array(
        z.object({ label: z.string().default(""), offer: offerDraftShape, timing: z.enum(ARM_TIMINGS).optional() }),
      ),
    })
    .optional(),
});

/** One cell of the draft, checked and converted to a stored cell; issues keep the cell-relative path. */
export function cellDraftSchema(currency: string) {
  return cellDraftShape
    .transform((draft, ctx) => {
      const own = cellInputFrom(draft, currency, ctx);
      if (!draft.experiment) return own;
      const arms = armsInputFrom(draft, draft.experiment, currency, ctx);
      return arms && "kind" in own ? ({ ...own, arms } as GridCellInput) : z.NEVER;
    })
    .pipe(writableGridCellSchema);
}

/**
 * The stored arms of a draft's experiment: A is the cell's own make-good, then B, C, D. A field
 * that does not convert is reported at the arm's path (`arms.1.offer.value`), the path the grid
 * schema uses for the rest; null when one did not convert.
 */
function armsInputFrom(
  draft: CellDraft,
  experiment: ExperimentDraft,
  currency: string,
  ctx: z.RefinementCtx,
): Array<{ label?: string; offer: GridCellInput; timing?: ArmTiming }> | null {
  // Arm A's own fields report at the cell's paths already (cellInputFrom); a silent sink avoids doubles.
  const offers = [
    ownCellInputFrom(draft, currency, { addIssue: () => {} }),
    ...experiment.others.map((arm, i) =>
      ownCellInputFrom(arm.offer, currency, {
        addIssue: (issue) =>
          ctx.addIssue(
            typeof issue === "string" ? issue : { ...issue, path: ["arms", i + 1, "offer", ...(issue.path ?? [])] },
          ),
      }),
    ),
  ];
  const labels = [experiment.labelA, ...experiment.others.map((arm) => arm.label)];
  const timings = [experiment.timingA, ...experiment.others.map((arm) => arm.timing)];
  const arms: Array<{ label?: string; offer: GridCellInput; timing?: ArmTiming }> = [];
  for (const [i, offer] of offers.entries()) {
    if (!("kind" in offer)) return null;
    const label = labels[i]?.trim() ?? "";
    // A label of spaces is no label; a long one is refused by the grid schema at arms.<i>.label.
    // At once is the default and is not written, so a save leaves older arms as they were.
    arms.push({
      ...(label === "" ? {} : { label }),
      offer,
      ...(timings[i] === "NEXT_MORNING" ? { timing: "NEXT_MORNING" as const } : {}),
    });
  }
  return arms;
}

/** The whole draft, converted to a Grid; every issue is named by its field's path. */
export function gridDraftSchema(currency: string) {
  const cell = cellDraftSchema(currency);
  return (
    z
      .object({
        cells: z.object(
          Object.fromEntries(
            SEVERITIES.map((s) => [
              s,
              z.object(Object.fromEntries(TIERS.map((t) => [t, cell])) as Record<Tier, typeof cell>),
            ]),
          ) as Record<Severity, z.ZodObject<Record<Tier, typeof cell>>>,
        ),
        overrides: z
          .partialRecord(
            z.enum(INCIDENT_TYPES),
            z.partialRecord(z.enum(SEVERITIES), z.partialRecord(z.enum(TIERS), cell)),
          )
          .default({}),
        percentBasketCapMinor: z.int().min(1),
        stageOverrides: z
          .partialRecord(
            z.enum(LIFECYCLE_STAGES),
            z.partialRecord(z.enum(SEVERITIES), z.partialRecord(z.enum(TIERS), cell)),
          )
          .default({}),
      })
      // Every cell is already a checked GridCell; this only applies the grid's own defaults.
      .transform((draft): Grid => gridSchema.parse(draft))
  );
}

function moneyWords(value: string, currency: string): string {
  try {
    return formatMoney(toMinorUnits(value, currency), currency);
  } catch {
    return `${value || "?"} ${currency}`;
  }
}

/**
 * The make-good in a few words for the grid table ("20% code, 60 days, auto"). It reads the
 * draft, so it also describes a cell that does not validate yet.
 */
export function describeCellDraft(
  cell: CellDraft,
  currency: string,
  variantTitle?: string,
  variantTitles: Record<string, string> = {},
): string {
  const own = describeOwnCellDraft(cell, currency, variantTitle);
  if (cell.experiment) {
    const later = (timing: ArmTiming | undefined) => (timing === "NEXT_MORNING" ? ", next morning" : "");
    const arms = [
      { label: cell.experiment.labelA, words: `${own}${later(cell.experiment.timingA)}` },
      ...cell.experiment.others.map((arm) => ({
        label: arm.label,
        words: `${describeOwnCellDraft(arm.offer, currency, variantTitles[arm.offer.variantId])}${later(arm.timing)}`,
      })),
    ];
    const named = arms.map(
      (arm, i) => `${ARM_LETTERS[i] ?? i + 1}${arm.label.trim() ? ` “${arm.label.trim()}”` : ""} (${arm.words})`,
    );
    return `Experiment: ${named.join(" vs ")}`;
  }
  if (cell.kind === "NONE" || !cell.preferredKind) return own;
  const option = cell.preferredKind;
  const parts = [
    option.DISCOUNT_CODE.trim() ? `${option.DISCOUNT_CODE.trim()}% code` : null,
    option.STORE_CREDIT.trim() ? `${moneyWords(option.STORE_CREDIT.trim(), currency)} store credit` : null,
    option.GIFT_CARD.trim() ? `${moneyWords(option.GIFT_CARD.trim(), currency)} gift card` : null,
  ].filter((p): p is string => p !== null);
  return `${own}; or their preferred kind: ${parts.length > 0 ? parts.join(", ") : "no equivalent set"}`;
}

function describeOwnCellDraft(cell: OfferDraft, currency: string, variantTitle?: string): string {
  const days = cell.expiryDays.trim() === "" ? "no expiry" : `${cell.expiryDays} days`;
  const approval = APPROVAL_SHORT_LABELS[cell.approval];
  switch (cell.kind) {
    case "DISCOUNT_PERCENT":
      return `${cell.value || "?"}% code, ${days}, ${approval}`;
    case "DISCOUNT_FIXED":
      return `${moneyWords(cell.value, currency)} code, ${days}, ${approval}`;
    case "STORE_CREDIT":
      return `${moneyWords(cell.value, currency)} store credit, ${days}, ${approval}`;
    case "GIFT_CARD":
      return `${moneyWords(cell.value, currency)} gift card, ${days}, ${approval}`;
    case "GIFT_PRODUCT":
      return cell.variantId
        ? `free ${cell.quantity} × ${variantTitle ?? `variant ${cell.variantId.split("/").pop()}`}, ${approval}`
        : `free gift (no product chosen), ${approval}`;
    case "NONE":
      return "apology only";
    case "REPLACEMENT":
      return `free replacement, ${cell.shippingTitle?.trim() || "shipping not named"} (${moneyWords(cell.value, currency)}), ${approval}`;
  }
}

/** Every GIFT_PRODUCT variant a draft names (to show their titles). */
export function draftVariantIds(draft: GridDraft): string[] {
  const rows = [draft.cells, ...Object.values(draft.overrides), ...Object.values(draft.stageOverrides ?? {})];
  const ids = rows.flatMap((row) =>
    Object.values(row ?? {}).flatMap((cells) =>
      Object.values(cells ?? {}).flatMap((cell) =>
        [cell, ...(cell?.experiment?.others.map((arm) => arm.offer) ?? [])].flatMap((offer) =>
          offer?.kind === "GIFT_PRODUCT" && offer.variantId ? [offer.variantId] : [],
        ),
      ),
    ),
  );
  return [...new Set(ids)].sort();
}
