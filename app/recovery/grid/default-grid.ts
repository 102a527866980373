/**
 * The grid a merchant gets on install and can run unchanged.
 *
 * The offer grows with severity down the rows and with customer value across
 * the columns. Loyal and VIP customers let down badly (major, critical) get
 * store credit: it keeps their value in the shop, is spent only there, reads as
 * a warmer make-good than a code, and costs the shop only once it is spent.
 * Everyone else gets a percent code, which works for guests and new customers
 * and means the same in every currency. The credit amounts are minor units of
 * the shop currency sized for a two-decimal one (2000 = 20.00), like the other
 * money defaults: about what the code they replace gives on an 80.00 order,
 * and on that order never less than a regular customer's code in the same row.
 * Credit can be spent only in a shop on new customer accounts (issue 13, item 6).
 *
 * Small offers go out at once (speed is what wins customers back); bigger ones
 * need any staff member; the biggest (critical, VIP) need a manager. A refund
 * under 25% is usually the make-good already, so it gets an apology only.
 * Expiries are long enough to reach a normal repurchase cycle. See
 * docs/decisions/0104-grid-and-valuation.md.
 *
 * Lifecycle playbooks (decision 0115), as sparse stage overrides:
 * - FIRST_ORDER: a welcome-back offer. The NEW and REGULAR columns give the base code (same value,
 *   expiry and approval) with the welcome-back message, which invites a first-time buyer back
 *   rather than apologising to a regular. Not a bigger code: first orders are the most common
 *   incidents, so a bigger default would raise every new shop's spend unasked; the merchant
 *   raises it in the editor's "First order" scope.
 * - FREQUENT: an exclusive perk. A frequent buyer gets store credit (kept in the shop, spent
 *   only there) with the "perk" message where the base gives a code (LOYAL and VIP, minor and
 *   moderate: sized like the code it replaces on an 80.00 order), and the perk message on the
 *   credit the base already gives (major, critical).
 * RETURNING and LAPSED use the base cells. Only grids stored from now on carry these (INSTALL_GRID,
 * below): a shop's stored grid is never rewritten, so its decisions do not change.
 */
import type { Approval, Severity, Tier } from "../vocabulary";
import { gridSchema, type Grid, type GridCellInput } from "./schema";

const code = (
  value: number,
  expiryDays: number,
  approval: Approval,
  messageTemplateKey = "standard",
): GridCellInput => ({
  kind: "DISCOUNT_PERCENT",
  value,
  expiryDays,
  approval,
  messageTemplateKey,
});

// Only ever in LOYAL and VIP columns: those tiers need a customer record, so a guest never meets one.
const credit = (valueMinor: number, expiryDays: number, approval: Approval): GridCellInput => ({
  kind: "STORE_CREDIT",
  value: valueMinor,
  expiryDays,
  approval,
  messageTemplateKey: "personal",
});

const welcome = (value: number, expiryDays: number, approval: Approval): GridCellInput =>
  code(value, expiryDays, approval, "welcome_back");
const perk = (valueMinor: number, expiryDays: number, approval: Approval): GridCellInput => ({
  ...credit(valueMinor, expiryDays, approval),
  messageTemplateKey: "loyal_perk",
});

const apologyOnly: GridCellInput = { kind: "NONE", messageTemplateKey: "standard" };

// Loyal and VIP customers hear from the shop in a warmer, more personal voice.
const DEFAULT_CELLS: Record<Severity, Record<Tier, GridCellInput>> = {
  minor: {
    NEW: code(10, 30, "AUTO"),
    REGULAR: code(10, 30, "AUTO"),
    LOYAL: code(10, 45, "AUTO", "personal"),
    VIP: code(15, 60, "AUTO", "personal"),
  },
  moderate: {
    NEW: code(15, 45, "AUTO"),
    REGULAR: code(15, 45, "AUTO"),
    LOYAL: code(15, 60, "AUTO", "personal"),
    VIP: code(20, 60, "AUTO", "personal"),
  },
  major: {
    NEW: code(20, 60, "AUTO"),
    REGULAR: code(20, 60, "AUTO"),
    LOYAL: credit(2_000, 60, "AUTO"),
    VIP: credit(2_500, 90, "STAFF"),
  },
  critical: {
    NEW: code(25, 60, "STAFF"),
    REGULAR: code(25, 90, "STAFF"),
    LOYAL: credit(2_500, 90, "STAFF"),
    VIP: credit(3_000, 90, "MANAGER"),
  },
};

export const DEFAULT_GRID: Grid = gridSchema.parse({
  cells: DEFAULT_CELLS,
  overrides: {
    REFUND: {
      minor: {
        NEW: apologyOnly,
        REGULAR: apologyOnly,
        LOYAL: { ...apologyOnly, messageTemplateKey: "personal" },
        VIP: { ...apologyOnly, messageTemplateKey: "personal" },
      },
    },
  },
  percentBasketCapMinor: 30_000,
});

/**
 * The lifecycle playbooks' stage cells (decision 0115), in the grid a shop gets on install
 * (INSTALL_GRID). DEFAULT_GRID stays the base grid without them: it is what grids saved before
 * stages were built from, and what they still decide by.
 */
export const PLAYBOOK_STAGE_CELLS: Grid["stageOverrides"] = gridSchema.parse({
  cells: DEFAULT_CELLS,
  stageOverrides: {
    FIRST_ORDER: {
      minor: { NEW: welcome(10, 30, "AUTO"), REGULAR: welcome(10, 30, "AUTO") },
      moderate: { NEW: welcome(15, 45, "AUTO"), REGULAR: welcome(15, 45, "AUTO") },
      major: { NEW: welcome(20, 60, "AUTO"), REGULAR: welcome(20, 60, "AUTO") },
      critical: { NEW: welcome(25, 60, "STAFF"), REGULAR: welcome(25, 90, "STAFF") },
    },
    FREQUENT: {
      minor: { LOYAL: perk(800, 45, "AUTO"), VIP: perk(1_200, 60, "AUTO") },
      moderate: { LOYAL: perk(1_200, 60, "AUTO"), VIP: perk(1_600, 60, "AUTO") },
      major: { LOYAL: perk(2_000, 60, "AUTO"), VIP: perk(2_500, 90, "STAFF") },
      critical: { LOYAL: perk(2_500, 90, "STAFF"), VIP: perk(3_000, 90, "MANAGER") },
    },
  },
}).stageOverrides;

/** What a shop that never saved a grid decides by, stored as its version 1 on first use. */
export const INSTALL_GRID: Grid = { ...DEFAULT_GRID, stageOverrides: PLAYBOOK_STAGE_CELLS };
