/**
 * Why a decision came out as it did, as data (decision 0123): the same steps as the explanation's
 * lines (decide.ts), each as the figures it was decided on, so a page words them as it needs (the
 * incident page's checklist, checklist.ts) without reading English back. decide() builds it, the
 * DECIDED event stores it (decision.server.ts), and the incident page parses it back with the
 * schema below: a record it cannot read (an older decision, stored before this) is null, and the
 * page shows the stored lines instead.
 */
import { z } from "zod";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle";
import { PREFERABLE_KINDS } from "../preference/preference";
import { APPROVALS, INCIDENT_TYPES, OFFER_KINDS, SEVERITIES, TIERS } from "../vocabulary";

const money = z.number().int();
const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const issuable = z.enum(OFFER_KINDS).exclude(["NONE"]);

export const INELIGIBLE_REASONS = [
  "TYPE_DISABLED",
  "TEST_ORDER",
  "ORDER_EXCLUDED",
  "CUSTOMER_EXCLUDED",
  "FRAUD",
  "CUSTOMER_CANCELLATION",
  "ALREADY_COMPENSATED",
] as const;

export const NO_OFFER_REASONS = [
  "GRID_SAYS_NONE",
  "NEEDS_CUSTOMER_ACCOUNT",
  "KIND_UNAVAILABLE",
  "NOTHING_TO_REPLACE",
] as const;

export const decisionWhySchema = z.object({
  v: z.literal(1),
  kind: z.enum(["OFFER", "HOLDOUT", "NO_OFFER", "INELIGIBLE"]),
  currency: z.string().min(3),
  incidentType: z.enum(INCIDENT_TYPES),
  severity: z.enum(SEVERITIES),
  customer: z.object({
    tier: z.enum(TIERS),
    guest: z.boolean(),
    amountSpentMinor: money,
    numberOfOrders: z.number().int(),
  }),
  /** The customer's lifecycle stage, and whether one of its cells decided. Null: no stage. */
  stage: z.object({ stage: z.enum(LIFECYCLE_STAGES), cellApplied: z.boolean() }).nullable(),
  /** Null: eligible. */
  ineligible: z.enum(INELIGIBLE_REASONS).nullable(),
  /** Null when the decision stopped before the draw (not eligible). */
  holdout: z
    .object({
      held: z.boolean(),
      /** DRAW: this incident's own draw; CUSTOMER: the customer's earlier incident's group, still in force. */
      source: z.enum(["DRAW", "CUSTOMER"]),
      draw: z.number(),
      share: z.number(),
      /** For CUSTOMER: the shop-local day that earlier incident was detected. */
      since: localDay.nullable(),
    })
    .nullable(),
  /** The cell's experiment, when it runs one: the arm (null: the incident is its comparison group). */
  experiment: z
    .object({ letter: z.string().nullable(), label: z.string().nullable(), arms: z.number().int() })
    .nullable(),
  /** Which grid cell decided (its address in the editor) and in which version. Null before the grid. */
  cell: z
    .object({
      source: z.enum(["GRID", "OVERRIDE", "STAGE"]),
      severity: z.enum(SEVERITIES),
      tier: z.enum(TIERS),
      gridVersion: z.number().int(),
      /** The make-good the cell gives (before a fallback). */
      kind: z.enum(OFFER_KINDS),
    })
    .nullable(),
  /** The cell's "customer's preferred kind" option, when it has one. */
  preferred: z
    .object({
      outcome: z.enum(["NOT_KNOWN", "SAME_AS_CELL", "USED", "NO_EQUIVALENT", "UNAVAILABLE"]),
      preferred: z.enum(PREFERABLE_KINDS).nullable(),
    })
    .nullable(),
  /** The chosen kind could not be issued on this shop: what was given instead (null: nothing). */
  fallback: z
    .object({
      from: issuable,
      to: z.enum(OFFER_KINDS).nullable(),
      why: z.enum(["SCOPES_MISSING", "CLASSIC_CUSTOMER_ACCOUNTS"]),
    })
    .nullable(),
  noOffer: z.enum(NO_OFFER_REASONS).nullable(),
  /** The make-good and its value (offers only). */
  offer: z.object({ kind: z.enum(OFFER_KINDS), faceValueMinor: money }).nullable(),
  /** Guardrail 3: a guest has no history to limit. */
  limits: z
    .discriminatedUnion("guest", [
      z.object({ guest: z.literal(true) }),
      z.object({
        guest: z.literal(false),
        cooldownDays: z.number().int(),
        cooldownHit: z.boolean(),
        lastOfferOn: localDay.nullable(),
        capMinor: money.nullable(),
        afterMinor: money,
        capHit: z.boolean(),
      }),
    ])
    .nullable(),
  /** Guardrail 4. */
  offerCap: z.object({ valueMinor: money, ceilingMinor: money, over: z.boolean() }).nullable(),
  /** Guardrail 5; atReservation: the reservation found the budget gone (concurrent decisions). */
  budget: z
    .object({
      budgetMinor: money.nullable(),
      afterMinor: money,
      within: z.boolean(),
      atReservation: z.boolean(),
    })
    .nullable(),
  approval: z
    .object({
      route: z.enum(APPROVALS),
      sources: z.array(z.enum(["GRID", "CUSTOMER_LIMITS", "OFFER_CAP", "BUDGET"])),
    })
    .nullable(),
  /** A timing arm's make-good waits for the shop's next morning: that day and hour, shop time. */
  timing: z.object({ issueOn: localDay, hour: z.number().int() }).nullable(),
});

export type DecisionWhy = z.infer<typeof decisionWhySchema>;

/** A stored record read back; null for anything this version cannot read (older decisions). */
export function parseDecisionWhy(value: unknown): DecisionWhy | null {
  const parsed = decisionWhySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
