/**
 * CSAT after recovery (decision 0117): responses, the average score and the share satisfied (4 or
 * 5) by incident type, make-good kind and time to offer. Customers held out of the experiment got
 * no make-good and no follow-up, so any rating of theirs is counted apart and never mixed into the
 * figures of recoveries. A group with fewer than MIN_RESPONSES responses is marked small: its
 * figures are shown as too few to read, not as a result.
 */
import { DAY_BUCKETS, type DayBucket } from "../time/day-bucket";
import { DAY_BUCKET_LABELS, INCIDENT_TYPE_LABELS, OFFER_KIND_LABELS } from "../words";
import { INCIDENT_TYPES, OFFER_KINDS, type IncidentType, type OfferKind } from "../vocabulary";

export const MIN_RESPONSES = 5;
/** A score of 4 or 5 counts as satisfied. */
export const SATISFIED_FROM = 4;

export interface RatedIncident {
  score: number;
  incidentType: IncidentType;
  holdout: boolean;
  /** The make-good issued on the incident, or null (none issued). */
  offerKind: OfferKind | null;
  /** Failure to make-good in shop-local days, or null (none issued). */
  timeToOffer: DayBucket | null;
}

export interface CsatGroup {
  key: string;
  label: string;
  responses: number;
  /** Mean score, 1 to 5; null without responses. */
  average: number | null;
  /** Share of responses that are 4 or 5; null without responses. */
  satisfiedShare: number | null;
  /** Fewer than MIN_RESPONSES responses: too few to read. */
  small: boolean;
}

export interface Csat {
  /** Every rating of a recovery (held-out customers' apart). */
  overall: CsatGroup;
  byIncidentType: CsatGroup[];
  byOfferKind: CsatGroup[];
  byTimeToOffer: CsatGroup[];
  /** Ratings from customers held out of the experiment; null when there are none. */
  heldOut: CsatGroup | null;
}

export function csatGroup(key: string, label: string, scores: readonly number[]): CsatGroup {
  const responses = scores.length;
  const sum = scores.reduce((a, b) => a + b, 0);
  return {
    key,
    label,
    responses,
    average: responses ? sum / responses : null,
    satisfiedShare: responses ? scores.filter((s) => s >= SATISFIED_FROM).length / responses : null,
    small: responses < MIN_RESPONSES,
  };
}

function groupsBy<K extends string>(
  rows: readonly RatedIncident[],
  keys: readonly K[],
  keyOf: (row: RatedIncident) => K | null,
  labels: Record<K, string>,
): CsatGroup[] {
  return keys
    .map((key) =>
      csatGroup(
        key,
        labels[key],
        rows.filter((r) => keyOf(r) === key).map((r) => r.score),
      ),
    )
    .filter((g) => g.responses > 0);
}

export function csatFigures(rows: readonly RatedIncident[]): Csat {
  const treated = rows.filter((r) => !r.holdout);
  const heldOut = rows.filter((r) => r.holdout);
  return {
    overall: csatGroup(
      "ALL",
      "All recoveries",
      treated.map((r) => r.score),
    ),
    byIncidentType: groupsBy(treated, INCIDENT_TYPES, (r) => r.incidentType, INCIDENT_TYPE_LABELS),
    byOfferKind: groupsBy(treated, OFFER_KINDS, (r) => r.offerKind, OFFER_KIND_LABELS),
    byTimeToOffer: groupsBy(treated, DAY_BUCKETS, (r) => r.timeToOffer, DAY_BUCKET_LABELS),
    heldOut: heldOut.length
      ? csatGroup(
          "HELD_OUT",
          "Held out (no make-good)",
          heldOut.map((r) => r.score),
        )
      : null,
  };
}
