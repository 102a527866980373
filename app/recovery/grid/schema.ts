/**
 * The compensation grid: severity rows x tier columns of offer templates, with
 * sparse per-incident-type overrides. Validation errors carry field paths
 * (["cells", "major", "VIP", "value"]) so a form can show each beside its cell.
 */
import { z } from "zod";
import { isTemplateKey, unknownTemplateMessage } from "../messages/catalog";
import { PREFERABLE_KIND_WORDS, PREFERABLE_KINDS, preferableKindOf } from "../preference/preference";
import { APPROVALS, INCIDENT_TYPES, SEVERITIES, TIERS } from "../vocabulary";
import { armsField, type ArmEntry } from "../experiments/arms-field";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle";

const approval = z.enum(APPROVALS);
/**
 * As stored: any well-formed key, so a version saved before keys were a closed set still reads
 * (its unknown key fails at render as UNKNOWN_TEMPLATE, for that cell only). Every write checks the
 * closed set: writableGridCellSchema and templateKeyIssues below.
 */
const messageTemplateKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "use lower-case letters, digits, dot, dash or underscore")
  .default("standard");
const expiryDays = z
  .int("expiry must be a whole number of days")
  .min(1, "expiry must be at least 1 day")
  .max(3650, "expiry must be at most 10 years");
const moneyValue = z
  .int("amount must be a whole number of minor units (cents)")
  .min(1, "amount must be more than zero")
  .max(100_000_000, "amount is implausibly large");
const percentValue = z
  .number("percent must be a number")
  .min(0.01, "percent must be at least 0.01")
  .max(100, "percent must be at most 100")
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, "percent may have at most two decimals");

/**
 * The cell's "customer's preferred kind" option (decision 0114): what a customer who uses another
 * kind of make-good gets instead, an equivalent the merchant sets per kind (a 15% code ~ 10.00
 * store credit ~ 10.00 gift card): the code as a percent, credit and gift card in minor units.
 * Absent (every grid saved before the option): the cell always gives its own kind.
 */
export const preferredKindSchema = z.object({
  DISCOUNT_CODE: percentValue.optional(),
  STORE_CREDIT: moneyValue.optional(),
  GIFT_CARD: moneyValue.optional(),
});
export type PreferredKindOption = z.output<typeof preferredKindSchema>;
const preferredKind = preferredKindSchema.optional();

/**
 * One line a replacement sends again, as the decision read it from the order: the variant (null
 * when the product was deleted since: that line cannot be replaced, and issuing says so), the
 * quantity as on the order, and the line's unit price (before discounts) for valuing it.
 */
export const replacementLineSchema = z.object({
  lineItemId: z.string().regex(/^gid:\/\/shopify\/LineItem\/\d+$/, "must be a line item id"),
  variantId: z
    .string()
    .regex(/^gid:\/\/shopify\/ProductVariant\/\d+$/, "must be a product variant id")
    .nullable(),
  title: z.string().max(255),
  quantity: z.int().min(1).max(1000),
  unitPriceMinor: z.int().min(0).max(100_000_000),
});
export type ReplacementLine = z.output<typeof replacementLineSchema>;

/**
 * The REPLACEMENT cell's value: the shipping method the merchant picks ("Express") and what it costs
 * the shop (minor units; the customer pays nothing). `lines` is absent in a grid: the decision fills
 * it with the incident's affected lines, and the offer keeps them (what issuing sends).
 */
const replacementValue = z.object({
  shippingTitle: z
    .string("name the shipping method, e.g. Express")
    .trim()
    .min(1, "name the shipping method, e.g. Express")
    .max(60, "the shipping method's name must be at most 60 characters"),
  shippingCostMinor: z
    .int("the shipping cost must be a whole number of minor units (cents)")
    .min(0, "the shipping cost cannot be negative")
    .max(10_000_000, "the shipping cost is implausibly large"),
  lines: z.array(replacementLineSchema).max(50).optional(),
});

export const gridCellSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("DISCOUNT_PERCENT"),
      value: percentValue,
      expiryDays,
      approval,
      messageTemplateKey,
      preferredKind,
      arms: armsField,
    }),
    z.object({
      kind: z.literal("DISCOUNT_FIXED"),
      value: moneyValue,
      expiryDays,
      approval,
      messageTemplateKey,
      preferredKind,
      arms: armsField,
    }),
    z.object({
      kind: z.literal("STORE_CREDIT"),
      value: moneyValue,
      expiryDays,
      approval,
      messageTemplateKey,
      preferredKind,
      arms: armsField,
    }),
    // Gift cards may run without expiry (several jurisdictions require it).
    z.object({
      kind: z.literal("GIFT_CARD"),
      value: moneyValue,
      expiryDays: expiryDays.nullable(),
      approval,
      messageTemplateKey,
      preferredKind,
      arms: armsField,
    }),
    z.object({
      kind: z.literal("GIFT_PRODUCT"),
      value: z.object({
        variantId: z
          .string()
          .regex(
            /^gid:\/\/shopify\/ProductVariant\/\d+$/,
            "must be a product variant id (gid://shopify/ProductVariant/...)",
          ),
        quantity: z.int().min(1).max(10).default(1),
      }),
      // A shipped gift has nothing to expire.
      expiryDays: z.null().default(null),
      approval,
      messageTemplateKey,
      preferredKind,
      arms: armsField,
    }),
    // A free replacement of the incident's affected lines (decision 0116): the merchant sets the
    // shipping method; the lines are the order's, chosen by the decision (replacement/lines.ts).
    z.object({
      kind: z.literal("REPLACEMENT"),
      value: replacementValue,
      // A shipped replacement has nothing to expire.
      expiryDays: z.null().default(null),
      approval,
      messageTemplateKey,
      preferredKind,
      arms: armsField,
    }),
    // An apology only has no equivalent: the merchant chose to give nothing here.
    z.object({
      kind: z.literal("NONE"),
      value: z.null().default(null),
      expiryDays: z.null().default(null),
      approval: approval.default("AUTO"),
      messageTemplateKey,
      arms: armsField,
    }),
  ])
  .superRefine((cell, ctx) => {
    if (cell.kind === "NONE" || !cell.preferredKind) return;
    const option = cell.preferredKind;
    const own = preferableKindOf(cell.kind);
    // The cell's own value is what a customer who prefers its kind gets: a second one would be ambiguous.
    if (own && option[own] !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["preferredKind", own],
        message: `this cell already gives ${PREFERABLE_KIND_WORDS[own]}: leave this empty, the cell's own value applies`,
      });
    if (!PREFERABLE_KINDS.some((kind) => kind !== own && option[kind] !== undefined))
      ctx.addIssue({
        code: "custom",
        path: ["preferredKind"],
        message: "set the equivalent of at least one other kind, or turn the option off",
      });
  })
  .superRefine((cell, ctx) => armIssues(cell, ctx));
export type GridCell = z.output<typeof gridCellSchema>;

/**
 * A cell's arms (decision 0119): each arm's offer is a make-good this schema accepts, with no arms
 * or preferred-kind option of its own, and a cell runs an experiment or the preferred-kind option,
 * not both (which would decide the make-good is ambiguous). Issues carry the arm's field path.
 */
function armIssues(cell: { arms?: ArmEntry[] | undefined; preferredKind?: unknown }, ctx: z.RefinementCtx): void {
  if (!cell.arms) return;
  if (cell.preferredKind !== undefined)
    ctx.addIssue({
      code: "custom",
      path: ["arms"],
      message: "a cell with an experiment cannot also use the customer's preferred kind: turn one off",
    });
  cell.arms.forEach((arm, i) => {
    const at = ["arms", i, "offer"];
    if ("arms" in arm.offer || "preferredKind" in arm.offer) {
      ctx.addIssue({
        code: "custom",
        path: at,
        message: "an arm is one make-good: no arms or preferred kind inside it",
      });
      return;
    }
    const parsed = gridCellSchema.safeParse(arm.offer);
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: "custom", path: [...at, ...issue.path.map(String)], message: issue.message });
  });
}

/**
 * A cell as it may be saved: its message template, and each of its experiment's arms', is one the
 * catalog has (an own key, never "constructor").
 */
export const writableGridCellSchema = gridCellSchema.superRefine((cell, ctx) => {
  if (!isTemplateKey(cell.messageTemplateKey))
    ctx.addIssue({
      code: "custom",
      path: ["messageTemplateKey"],
      message: unknownTemplateMessage(cell.messageTemplateKey),
    });
  cell.arms?.forEach((arm, i) => {
    const key = arm.offer["messageTemplateKey"] ?? "standard";
    if (typeof key === "string" && !isTemplateKey(key))
      ctx.addIssue({
        code: "custom",
        path: ["arms", i, "offer", "messageTemplateKey"],
        message: unknownTemplateMessage(key),
      });
  });
});
export type GridCellInput = z.input<typeof gridCellSchema>;
export type CellOf<K extends GridCell["kind"]> = Extract<GridCell, { kind: K }>;

const row = <T extends z.ZodType>(cell: T) => z.record(z.enum(TIERS), cell);
const sparseRow = <T extends z.ZodType>(cell: T) => z.partialRecord(z.enum(TIERS), cell);

export const gridSchema = z.object({
  cells: z.record(z.enum(SEVERITIES), row(gridCellSchema)),
  /** Cells that differ for one incident type; missing ones fall back to `cells`. */
  overrides: z
    .partialRecord(z.enum(INCIDENT_TYPES), z.partialRecord(z.enum(SEVERITIES), sparseRow(gridCellSchema)))
    .default({}),
  /**
   * A percent code is valued at percent x the incident order's subtotal, with
   * the subtotal capped here (minor units) so one big order does not make
   * every percent code look expensive. See docs/decisions/0104-grid-and-valuation.md.
   */
  percentBasketCapMinor: z.int().min(1).default(30_000),
  /**
   * Cells that differ for one lifecycle stage (decision 0115); missing ones fall back to `cells`.
   * A per-incident-type override wins over a stage's cell. Absent in every grid saved before
   * stages existed: those decide exactly as before.
   */
  stageOverrides: z
    .partialRecord(z.enum(LIFECYCLE_STAGES), z.partialRecord(z.enum(SEVERITIES), sparseRow(gridCellSchema)))
    .default({}),
});
export type Grid = z.output<typeof gridSchema>;
export type GridInput = z.input<typeof gridSchema>;

export const gridVersionSchema = z.object({
  version: z.int().min(1),
  grid: gridSchema,
  createdAt: z.date(),
  createdBy: z.string().min(1),
});
export type GridVersion = z.output<typeof gridVersionSchema>;

export interface GridFieldError {
  path: (string | number)[];
  message: string;
}

export type GridParse = { ok: true; grid: Grid } | { ok: false; errors: GridFieldError[] };

export function parseGrid(input: unknown): GridParse {
  const result = gridSchema.safeParse(input);
  if (result.success) return { ok: true, grid: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      path: issue.path.map((key) => (typeof key === "number" ? key : String(key))),
      message: issue.message,
    })),
  };
}

/** Cells naming a template that does not exist, by field path: a grid with any is not saved. */
export function templateKeyIssues(grid: Grid): GridFieldError[] {
  const issues: GridFieldError[] = [];
  const check = (path: string[], cell: GridCell | undefined) => {
    if (cell && !isTemplateKey(cell.messageTemplateKey))
      issues.push({ path: [...path, "messageTemplateKey"], message: unknownTemplateMessage(cell.messageTemplateKey) });
    cell?.arms?.forEach((arm, i) => {
      const key = arm.offer["messageTemplateKey"] ?? "standard";
      if (typeof key === "string" && !isTemplateKey(key))
        issues.push({
          path: [...path, "arms", i, "offer", "messageTemplateKey"],
          message: unknownTemplateMessage(key),
        });
    });
  };
  for (const [severity, row] of Object.entries(grid.cells))
    for (const [tier, cell] of Object.entries(row)) check(["cells", severity, tier], cell);
  for (const [type, rows] of Object.entries(grid.overrides))
    for (const [severity, row] of Object.entries(rows ?? {}))
      for (const [tier, cell] of Object.entries(row ?? {})) check(["overrides", type, severity, tier], cell);
  for (const [stage, rows] of Object.entries(grid.stageOverrides))
    for (const [severity, row] of Object.entries(rows ?? {}))
      for (const [tier, cell] of Object.entries(row ?? {})) check(["stageOverrides", stage, severity, tier], cell);
  return issues;
}

/** Every saved grid is a new version; versions count up from 1. */
export function nextGridVersion(
  previous: Pick<GridVersion, "version"> | null,
  grid: Grid,
  createdBy: string,
  now: Date,
): GridVersion {
  return { version: (previous?.version ?? 0) + 1, grid, createdAt: now, createdBy };
}
