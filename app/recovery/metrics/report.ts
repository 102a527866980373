import {
  consumption,
  returnOnInvestment,
  timeToOffer,
  type Consumption,
  type ReturnOnInvestment,
  type TimeToOfferBucket,
} from "./offers";
import { incidentsOverTime, rootCauses, type IncidentBucket, type RootCauses } from "./incidents";
import { recoveryComparison, MIN_INCIDENTS_PER_GROUP, type RecoveryComparison } from "./recovery";
import type { IncidentRecord, OfferRecord } from "./records";

export interface ReportInput {
  incidents: readonly IncidentRecord[];
  offers: readonly OfferRecord[];
  timeZone: string;
  asOf: Date;
  bucket?: "day" | "week";
  minPerGroup?: number;
}

export interface RecoveryReport {
  overTime: IncidentBucket[];
  recovery: RecoveryComparison;
  consumption: Consumption;
  timeToOffer: TimeToOfferBucket[];
  returnOnInvestment: ReturnOnInvestment;
  rootCauses: RootCauses;
}

/** Everything the "Did it work?" page shows, from one shop's records. */
export function recoveryReport(input: ReportInput): RecoveryReport {
  return {
    overTime: incidentsOverTime(input.incidents, { timeZone: input.timeZone, bucket: input.bucket ?? "week" }),
    recovery: recoveryComparison(input.incidents, input.minPerGroup ?? MIN_INCIDENTS_PER_GROUP),
    consumption: consumption(input.offers, input.asOf),
    timeToOffer: timeToOffer(input.incidents, input.offers, input.timeZone),
    returnOnInvestment: returnOnInvestment(input.incidents, input.offers),
    rootCauses: rootCauses(input.incidents),
  };
}
