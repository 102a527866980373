/**
 * The incidents index's filters as Polaris Filters: a ChoiceList per filter and the applied ones as
 * removable tags. Each is a URL parameter (app/services/incidents-view/query.ts), so a filtered
 * view is a link.
 */
import type { AppliedFilterInterface, FilterInterface } from "@shopify/polaris";
import { choiceFilter } from "../../components/choiceFilter";
import { INCIDENT_STATES, INCIDENT_TYPES, OFFER_STATUSES, SEVERITIES } from "../../recovery/vocabulary";
import {
  INCIDENT_STATE_LABELS,
  INCIDENT_TYPE_LABELS,
  labelOf,
  OFFER_STATUS_LABELS,
  SEVERITY_LABELS,
} from "../../recovery/words";
import { OFFER_PRESENCE_VALUES, type IncidentListQuery } from "../../services/incidents-view/query";

const OFFER_PRESENCE_LABELS: Record<(typeof OFFER_PRESENCE_VALUES)[number], string> = {
  with: "Has a make-good",
  without: "No make-good",
  holdout: "Control group (holdout)",
};

interface FilterSpec {
  /** The URL parameter. */
  key: string;
  label: string;
  values: readonly string[];
  labels: Record<string, string>;
  selected(query: IncidentListQuery): readonly string[];
  pinned?: boolean;
  allowMultiple?: boolean;
}

/** In the order the page shows them. */
const FILTERS: readonly FilterSpec[] = [
  { key: "type", label: "Type", values: INCIDENT_TYPES, labels: INCIDENT_TYPE_LABELS, selected: (q) => q.types },
  { key: "severity", label: "Severity", values: SEVERITIES, labels: SEVERITY_LABELS, selected: (q) => q.severities },
  { key: "state", label: "State", values: INCIDENT_STATES, labels: INCIDENT_STATE_LABELS, selected: (q) => q.states },
  {
    key: "offer",
    label: "Make-good",
    values: OFFER_PRESENCE_VALUES,
    labels: OFFER_PRESENCE_LABELS,
    selected: (q) => (q.offer ? [q.offer] : []),
    allowMultiple: false,
  },
  {
    key: "offerStatus",
    label: "Make-good status",
    values: OFFER_STATUSES,
    labels: OFFER_STATUS_LABELS,
    selected: (q) => q.offerStatuses,
    pinned: false,
  },
];

/** The URL parameters the filters hold; changing any of them goes back to the first page. */
export const FILTER_KEYS = FILTERS.map((f) => f.key);

/** `setParam(key, values)` replaces the parameter's values in the URL (none: removes it). */
export function incidentFilters(
  query: IncidentListQuery,
  setParam: (key: string, values: string[]) => void,
): { filters: FilterInterface[]; applied: AppliedFilterInterface[] } {
  const filters = FILTERS.map((f) =>
    choiceFilter({
      key: f.key,
      label: f.label,
      pinned: f.pinned ?? true,
      allowMultiple: f.allowMultiple,
      choices: f.values.map((value) => ({ label: labelOf(f.labels, value), value })),
      selected: [...f.selected(query)],
      onChange: (values) => setParam(f.key, values),
    }),
  );
  const applied = FILTERS.filter((f) => f.selected(query).length > 0).map((f) => ({
    key: f.key,
    label: `${f.label}: ${f
      .selected(query)
      .map((value) => labelOf(f.labels, value))
      .join(", ")}`,
    onRemove: () => setParam(f.key, []),
  }));
  return { filters, applied };
}
