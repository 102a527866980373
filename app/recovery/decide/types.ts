import type { CustomerOfferRecord, DecisionSettings, StandingAssignment } from "../guardrails";
import type { GridCell, GridVersion, ReplacementLine } from "../grid";
import type { MeasuredSignal } from "../incidents";
import type { MinorUnits } from "../money";
import type { PreferableKind, RedemptionHistory } from "../preference";
import type { TierAssessment } from "../tiers";
import type { LifecycleAssessment, LifecycleSettings } from "../lifecycle";
import type { Approval, CancelReason, Severity } from "../vocabulary";
import type { IssuableKind, KindAvailability, Unavailability } from "./availability";
import type { ArmAssignment } from "../experiments/arms";
import type { DecisionWhy } from "./why";

/** An incident as the decision sees it: type and measure in step, plus the facts the guardrails need. */
export type DecisionIncident = MeasuredSignal & {
  id: string;
  severity: Severity;
  occurredAt: Date;
  detectedAt: Date;
  orderId: string;
  orderName: string;
  orderTotalMinor: MinorUnits;
  /** Basis for valuing percent codes. */
  orderSubtotalMinor: MinorUnits;
  customerId: string | null;
  excluded: { testOrder: boolean; orderExcluded: boolean; customerExcluded: boolean };
  cancelReason: CancelReason | null;
  alreadyCompensated: boolean;
};

export interface ShopContext {
  currency: string;
  timeZone: string;
  /** For money and dates in explanations. */
  locale?: string;
}

/** Read by the caller before deciding (under the budget lock, for the month figures). */
export interface GuardrailState {
  /** This customer's offers issued or committed (approved or pending) in at least the last 365 days. */
  customerOffers: readonly CustomerOfferRecord[];
  /** Face value issued so far this shop-local month. */
  monthToDateIssuedMinor: MinorUnits;
  /** Face value approved or pending but not yet issued. */
  committedMinor: MinorUnits;
}

export interface DecisionInput {
  incident: DecisionIncident;
  tier: TierAssessment;
  gridVersion: GridVersion;
  settings: DecisionSettings;
  shop: ShopContext;
  state: GuardrailState;
  /**
   * The customer's assignment still in force (guardrails/holdout.ts, standingAssignment): their
   * latest drawn incident within the attribution window. Absent or null: a fresh draw.
   */
  standing?: StandingAssignment | null;
  /**
   * Kinds the shop cannot be given now (scopes it no longer grants, store credit on classic
   * customer accounts): the grid's choice falls back (availability.ts). Absent: all available.
   */
  unavailableKinds?: KindAvailability;
  /** Prices of gift variants (see giftVariantIds), minor units. */
  variantPrices?: Readonly<Record<string, MinorUnits>>;
  /**
   * What the customer redeemed before, for a cell with the "customer's preferred kind" option
   * (preference/preference.ts). Absent: nothing known, the cell's own kind.
   */
  redemptionHistory?: RedemptionHistory;
  /**
   * The incident's affected lines (replacement/lines.ts), read when its cell is a REPLACEMENT: the
   * offer replaces them. Absent for such a cell: decide() refuses to value it.
   */
  replacementLines?: readonly ReplacementLine[];
  /**
   * The customer's lifecycle stage (decision 0115) and the thresholds that placed it, for the
   * stage's cells and the explanation. Absent: no stage, the base cells (as before stages existed).
   */
  lifecycle?: { assessment: LifecycleAssessment; settings: LifecycleSettings };
  now: Date;
}

export const GUARDRAILS = ["ELIGIBILITY", "HOLDOUT", "CUSTOMER_LIMITS", "OFFER_CAP", "BUDGET"] as const;
export type Guardrail = (typeof GUARDRAILS)[number];

export interface GuardrailCheck {
  guardrail: Guardrail;
  outcome: "PASS" | "STOP" | "ROUTE";
  /** For ROUTE: the approval the guardrail requires at least. */
  requires?: Approval;
  line: string;
}

export type IneligibleReason =
  | "TYPE_DISABLED"
  | "TEST_ORDER"
  | "ORDER_EXCLUDED"
  | "CUSTOMER_EXCLUDED"
  | "FRAUD"
  | "CUSTOMER_CANCELLATION"
  | "ALREADY_COMPENSATED";

export type NoOfferReason = "GRID_SAYS_NONE" | "NEEDS_CUSTOMER_ACCOUNT" | "KIND_UNAVAILABLE" | "NOTHING_TO_REPLACE";

/** What raised the approval route: the grid cell itself or a guardrail. */
export type ApprovalSource = "GRID" | "CUSTOMER_LIMITS" | "OFFER_CAP" | "BUDGET";

interface DecisionCommon {
  incidentId: string;
  checks: GuardrailCheck[];
  /** One line per step, guardrails in the documented order (decision 0099 §6). */
  explanation: string[];
  /** One sentence for lists and notifications. */
  summary: string;
  /** The same steps as data, for the incident page's checklist (why.ts, decision 0123). */
  why: DecisionWhy;
}

export type Decision =
  | (DecisionCommon & {
      kind: "OFFER";
      cell: GridCell;
      cellSource: "GRID" | "OVERRIDE" | "STAGE";
      faceValueMinor: MinorUnits;
      approval: Approval;
      approvalSources: ApprovalSource[];
      expiresAt: Date | null;
      gridVersion: number;
      holdoutDraw: number;
      /** Set when the grid's kind could not be issued and `cell` is its fallback. */
      fallbackFrom?: { kind: IssuableKind; unavailable: Unavailability };
      /** Set when `cell` is the equivalent of the customer's preferred kind instead of the cell's own kind. */
      preferredFrom?: { kind: IssuableKind; preferred: PreferableKind };
      /** Set when the cell runs an experiment: the arm whose make-good `cell` is (decision 0119). */
      arm?: ArmAssignment;
      /** A timing arm's make-good is not issued before this instant (the shop's next morning). */
      issueAfter?: Date;
    })
  | (DecisionCommon & {
      kind: "HOLDOUT";
      holdoutDraw: number;
      holdoutShare: number;
      gridVersion: number;
      /** Set when the cell runs an experiment: this incident is its control group (arm null). */
      arm?: ArmAssignment;
    })
  | (DecisionCommon & {
      kind: "NO_OFFER";
      reason: NoOfferReason;
      cell: GridCell;
      gridVersion: number;
      holdoutDraw: number;
      arm?: ArmAssignment;
    })
  | (DecisionCommon & { kind: "INELIGIBLE"; reason: IneligibleReason });

export type DecisionOf<K extends Decision["kind"]> = Extract<Decision, { kind: K }>;
