/**
 * "What would this grid have done?": past incidents decided again with a grid,
 * in the order they were detected, through the real decide(). Used to compare
 * a draft grid with the current one before saving.
 *
 * What a replay knows: each incident's type, severity, measure, order figures,
 * customer and tier (as recorded when it was decided), the shop's current
 * guardrail settings, and gift prices today. What it cannot know: the budget
 * and customer history as they really were (offers before the window, offers
 * staff rejected or that expired), whether staff would have approved, and
 * whether the customer would have redeemed (so a cell's "customer's preferred
 * kind" option always gives the cell's own kind here, decision 0114). So the replay builds its own
 * history: every offer it makes counts against the customer's cooldown and
 * yearly cap and the month's budget as if it had been issued when decided.
 * Both grids are replayed the same way, so the comparison is like for like.
 */
import { decide, type DecisionIncident, type ShopContext } from "../decide";
import type { CustomerOfferRecord, DecisionSettings } from "../guardrails";
import type { MinorUnits } from "../money";
import { wholeOrderEstimate } from "../replacement/lines";
import { localDate } from "../time";
import type { TierAssessment } from "../tiers";
import type { LifecycleAssessment, LifecycleSettings } from "../lifecycle";
import type { GridVersion } from "./schema";

export interface ReplayIncident {
  incident: DecisionIncident;
  tier: TierAssessment;
  /** Already refused on eligibility when it was decided (test order, excluded tag...): no grid changes that. */
  knownIneligible: boolean;
  /** The customer's lifecycle stage then (decision 0115); absent: no stage, the base cells. */
  lifecycle?: { assessment: LifecycleAssessment; settings: LifecycleSettings };
}

export interface ReplayTotals {
  incidents: number;
  offers: number;
  faceValueMinor: MinorUnits;
  autoApproved: number;
  needsApproval: number;
  holdouts: number;
  noOffer: number;
  ineligible: number;
}

export interface ReplayInput {
  incidents: readonly ReplayIncident[];
  gridVersion: GridVersion;
  settings: DecisionSettings;
  shop: ShopContext;
  variantPrices?: Readonly<Record<string, MinorUnits>>;
}

const empty = (): ReplayTotals => ({
  incidents: 0,
  offers: 0,
  faceValueMinor: 0,
  autoApproved: 0,
  needsApproval: 0,
  holdouts: 0,
  noOffer: 0,
  ineligible: 0,
});

export function replayGrid(input: ReplayInput): ReplayTotals {
  const totals = empty();
  const byCustomer = new Map<string, CustomerOfferRecord[]>();
  const byMonth = new Map<string, MinorUnits>();
  const ordered = [...input.incidents].sort(
    (a, b) =>
      a.incident.detectedAt.getTime() - b.incident.detectedAt.getTime() || a.incident.id.localeCompare(b.incident.id),
  );
  for (const { incident, tier, knownIneligible, lifecycle } of ordered) {
    totals.incidents += 1;
    if (knownIneligible) {
      totals.ineligible += 1;
      continue;
    }
    const now = incident.detectedAt;
    const month = localDate(now, input.shop.timeZone).slice(0, 7);
    const history = incident.customerId ? (byCustomer.get(incident.customerId) ?? []) : [];
    const decision = decide({
      incident,
      tier,
      gridVersion: input.gridVersion,
      settings: input.settings,
      shop: input.shop,
      state: {
        customerOffers: history,
        monthToDateIssuedMinor: byMonth.get(month) ?? 0,
        committedMinor: 0,
      },
      variantPrices: input.variantPrices,
      // Past orders' lines are not read: a replacement is valued at the whole order (an upper bound).
      replacementLines: wholeOrderEstimate(incident.orderSubtotalMinor),
      ...(lifecycle ? { lifecycle } : {}),
      now,
    });
    switch (decision.kind) {
      case "INELIGIBLE":
        totals.ineligible += 1;
        break;
      case "HOLDOUT":
        totals.holdouts += 1;
        break;
      case "NO_OFFER":
        totals.noOffer += 1;
        break;
      case "OFFER":
        totals.offers += 1;
        totals.faceValueMinor += decision.faceValueMinor;
        if (decision.approval === "AUTO") totals.autoApproved += 1;
        else totals.needsApproval += 1;
        byMonth.set(month, (byMonth.get(month) ?? 0) + decision.faceValueMinor);
        if (incident.customerId)
          byCustomer.set(incident.customerId, [...history, { issuedAt: now, faceValueMinor: decision.faceValueMinor }]);
        break;
    }
  }
  return totals;
}
