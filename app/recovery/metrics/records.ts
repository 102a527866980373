/** Plain records the metrics read; the services load them for one shop and period. */
import type { MinorUnits } from "../money";
import type { IncidentType, OfferKind, OfferStatus } from "../vocabulary";

export interface IncidentRecord {
  id: string;
  type: IncidentType;
  occurredAt: Date;
  detectedAt: Date;
  /** Passed eligibility, so it took part in the holdout draw. */
  eligible: boolean;
  holdout: boolean;
  wonBack: boolean;
  /** The order that won it back; one order winning back two incidents counts once in revenue. */
  wonBackOrder: { id: string; totalMinor: MinorUnits } | null;
  productIds: readonly string[];
  carriers: readonly string[];
  locationIds: readonly string[];
}

export interface OfferRecord {
  id: string;
  incidentId: string;
  kind: Exclude<OfferKind, "NONE">;
  status: OfferStatus;
  issuedAt: Date | null;
  expiresAt: Date | null;
  faceValueMinor: MinorUnits;
  redeemed: boolean;
  /** Value the customer actually took: discount applied, credit or gift card spent; a shipped gift at face value. */
  discountUsedMinor: MinorUnits;
}
