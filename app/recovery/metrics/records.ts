/** Plain records the metrics read; the services load them for one shop and period. */
import type { MinorUnits } from "../money";
import type { Approval, IncidentType, OfferKind, OfferStatus, Severity } from "../vocabulary";

export interface IncidentRecord {
  id: string;
  type: IncidentType;
  severity: Severity;
  occurredAt: Date;
  detectedAt: Date;
  /** Null for a guest checkout: whether a guest orders again cannot be known. */
  customerId: string | null;
  /** Passed eligibility, so it took part in the holdout draw. */
  eligible: boolean;
  holdout: boolean;
  /**
   * The customer placed a counted order within the attribution window after the incident was
   * detected: the same start and window for every incident, offer or not (intent to treat).
   */
  wonBack: boolean;
  /** The first such order; one order winning back two incidents counts once in revenue. */
  wonBackOrder: { id: string; totalMinor: MinorUnits } | null;
  productIds: readonly string[];
  carriers: readonly string[];
  locations: readonly string[];
}

export interface OfferRecord {
  id: string;
  incidentId: string;
  kind: Exclude<OfferKind, "NONE">;
  status: OfferStatus;
  approval: Approval;
  issuedAt: Date | null;
  expiresAt: Date | null;
  faceValueMinor: MinorUnits;
  redeemed: boolean;
  /** Value the customer actually took: discount applied, credit or gift card spent; a shipped gift at face value. */
  discountUsedMinor: MinorUnits;
}
