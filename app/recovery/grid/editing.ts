/**
 * The grid as a merchant edits it. Stored cells keep money in minor units and
 * numbers as numbers; the editor holds what the merchant typed (decimal money
 * in the shop currency, "" for an empty field), so a half-typed value is never
 * rounded or lost. `gridDraftSchema(currency)` turns a draft back into a grid
 * and reports each problem at the field's path ("cells.major.VIP.value"), the
 * same path the page shows the message beside.
 */
import { armsField, type ArmEntry } from "../experiments/arms-field";
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
import { gridSchema, writableGridCellSchema, type Grid, type GridCell, type GridCellInput } from "./schema";

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
  /** An experiment's arms as stored (decision 0119): carried through a save unchanged. */
  arms?: ArmEntry[];
}

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
  return {
    ...ownDraftFromCell(cell, currency),
    ...preferredKindDraft(cell, currency),
    ...(cell.arms ? { arms: cell.arms } : {}),
  };
}

function ownDraftFromCell(cell: GridCell, currency: string): CellDraft {
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
    // The equivalents stay as typed: the merchant is changing the cell's own kind, not the option.
    ...(kind !== "NONE" && from?.preferredKind ? { preferredKind: from.preferredKind } : {}),
    ...(from?.arms ? { arms: from.arms } : {}),
  };
}

// "" and anything not a plain number become NaN, so the grid schema's own "must be a number" message applies.
const numberOf = (text: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN);

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

function ownCellInputFrom(draft: CellDraft, currency: string, ctx: z.RefinementCtx): GridCellInput | typeof z.NEVER {
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

const cellDraftShape = z.object({
  kind: z.enum(OFFER_KINDS),
  value: z.string().default(""),
  expiryDays: z.string().default(""),
  approval: z.enum(APPROVALS),
  messageTemplateKey: z.string().default("standard"),
  variantId: z.string().default(""),
  quantity: z.string().default("1"),
  shippingTitle: z.string().optional(),
  preferredKind: z
    .object({
      DISCOUNT_CODE: z.string().default(""),
      STORE_CREDIT: z.string().default(""),
      GIFT_CARD: z.string().default(""),
    })
    .optional(),
  arms: armsField,
});

/** One cell of the draft, checked and converted to a stored cell; issues keep the cell-relative path. */
export function cellDraftSchema(currency: string) {
  return cellDraftShape
    .transform((draft, ctx) => withArms(cellInputFrom(draft, currency, ctx), draft.arms))
    .pipe(writableGridCellSchema);
}

/** The editor does not edit an experiment's arms yet: a save keeps them as they were (decision 0119). */
function withArms(input: GridCellInput | typeof z.NEVER, arms: ArmEntry[] | undefined): GridCellInput | typeof z.NEVER {
  return arms && "kind" in input ? ({ ...input, arms } as GridCellInput) : input;
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
export function describeCellDraft(cell: CellDraft, currency: string, variantTitle?: string): string {
  const own = describeOwnCellDraft(cell, currency, variantTitle);
  if (cell.kind === "NONE" || !cell.preferredKind) return own;
  const option = cell.preferredKind;
  const parts = [
    option.DISCOUNT_CODE.trim() ? `${option.DISCOUNT_CODE.trim()}% code` : null,
    option.STORE_CREDIT.trim() ? `${moneyWords(option.STORE_CREDIT.trim(), currency)} store credit` : null,
    option.GIFT_CARD.trim() ? `${moneyWords(option.GIFT_CARD.trim(), currency)} gift card` : null,
  ].filter((p): p is string => p !== null);
  return `${own}; or their preferred kind: ${parts.length > 0 ? parts.join(", ") : "no equivalent set"}`;
}

function describeOwnCellDraft(cell: CellDraft, currency: string, variantTitle?: string): string {
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
        cell?.kind === "GIFT_PRODUCT" && cell.variantId ? [cell.variantId] : [],
      ),
    ),
  );
  return [...new Set(ids)].sort();
}
