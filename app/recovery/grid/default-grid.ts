/**
 * The grid a merchant gets on install and can run unchanged.
 *
 * Percent codes throughout: they mean the same in every currency and cost the
 * shop only when the customer buys again. The offer grows with severity down
 * the rows and with customer value across the columns. Small offers go out
 * at once (speed is what wins customers back); bigger ones need any staff
 * member; the biggest (critical, VIP) need a manager. A refund under 25% is
 * usually the make-good already, so it gets an apology only. Expiries are long
 * enough to reach a normal repurchase cycle. See
 * docs/decisions/0104-grid-and-valuation.md.
 */
import type { Severity, Tier } from "../vocabulary";
import { gridSchema, type Grid, type GridCellInput } from "./schema";

const code = (
  value: number,
  expiryDays: number,
  approval: "AUTO" | "STAFF" | "MANAGER",
  messageTemplateKey = "standard",
): GridCellInput => ({
  kind: "DISCOUNT_PERCENT",
  value,
  expiryDays,
  approval,
  messageTemplateKey,
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
    LOYAL: code(20, 60, "AUTO", "personal"),
    VIP: code(25, 90, "STAFF", "personal"),
  },
  critical: {
    NEW: code(25, 60, "STAFF"),
    REGULAR: code(25, 90, "STAFF"),
    LOYAL: code(30, 90, "STAFF", "personal"),
    VIP: code(30, 90, "MANAGER", "personal"),
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
