import { consumption, cost, timeToOffer, type Consumption, type Cost, type TimeToOfferRow } from "./offers";
import { rootCauses, type RootCauses } from "./incidents";
import { experiment, isMatured, type Experiment, type ExperimentSettings, type ReadoutMemo } from "./experiment";
import type { IncidentRecord, OfferRecord } from "./records";

export interface ReportInput {
  /** The incidents detected in the chosen period, and their offers. */
  incidents: readonly IncidentRecord[];
  offers: readonly OfferRecord[];
  /**
   * The experiment's incidents and offers: all of the shop's up to asOf, whatever the period (a
   * readout is a fixed round of matured incidents, not a date range). The offers may be the issued
   * ones only (isIssued; the dashboard reads no others, decision 0032): every figure computed from
   * them keeps only those, and the incidents' root causes are not read.
   */
  experimentIncidents: readonly IncidentRecord[];
  experimentOffers: readonly OfferRecord[];
  settings: ExperimentSettings;
  timeZone: string;
  asOf: Date;
  minPerGroup?: number;
  /** Completed readouts kept from an earlier report (see ReadoutMemo). */
  readouts?: ReadoutMemo;
}

export interface RecoveryReport {
  experiment: Experiment;
  consumption: Consumption;
  /** Of the period's offers. */
  cost: Cost;
  timeToOffer: TimeToOfferRow[];
  rootCauses: RootCauses;
}

/** Everything the "Did it work?" page shows, from one shop's records. */
export function recoveryReport(input: ReportInput): RecoveryReport {
  const { settings, asOf } = input;
  return {
    experiment: experiment(
      {
        incidents: input.experimentIncidents,
        offers: input.experimentOffers,
        asOf,
        settings,
        ...(input.minPerGroup !== undefined ? { minPerGroup: input.minPerGroup } : {}),
      },
      input.readouts ? { readouts: input.readouts } : {},
    ),
    consumption: consumption(input.offers, asOf),
    cost: cost(input.offers),
    timeToOffer: timeToOffer(input.experimentIncidents, input.experimentOffers, input.timeZone, (i) =>
      isMatured(i, settings.windowDays, asOf),
    ),
    rootCauses: rootCauses(input.incidents),
  };
}
