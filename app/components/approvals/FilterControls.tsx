/** The queue's filters as Polaris Filters: one ChoiceList each, the applied ones as removable tags. */
import type { AppliedFilterInterface, FilterInterface } from "@shopify/polaris";
import { choiceFilter } from "../choiceFilter";
import { INCIDENT_TYPES, SEVERITIES, TIERS } from "../../recovery/vocabulary";
import { INCIDENT_TYPE_LABELS, SEVERITY_LABELS, TIER_LABELS } from "../../recovery/words";
import { AGE_FILTERS, AGE_LABELS, type AgeFilter, type QueueFilters } from "../../recovery/queue-filters";

type ListKey = "type" | "severity" | "tier";

/** The pick-several filters: the filter's name, its applied tag's name, and the words of each value. */
const LIST_FILTERS: ReadonlyArray<{
  key: ListKey;
  label: string;
  tag: string;
  values: readonly string[];
  labels: Record<string, string>;
}> = [
  { key: "type", label: "Failure type", tag: "Type", values: INCIDENT_TYPES, labels: INCIDENT_TYPE_LABELS },
  { key: "severity", label: "Severity", tag: "Severity", values: SEVERITIES, labels: SEVERITY_LABELS },
  { key: "tier", label: "Customer tier", tag: "Tier", values: TIERS, labels: TIER_LABELS },
];

export function filterControls(
  filters: QueueFilters,
  onChange: (next: QueueFilters) => void,
): { filters: FilterInterface[]; appliedFilters: AppliedFilterInterface[] } {
  // The values come from the filter's own list, so they are that list's members.
  const setList = (key: ListKey, values: string[]) => onChange({ ...filters, [key]: values });
  const list: FilterInterface[] = [
    ...LIST_FILTERS.map(({ key, label, values, labels }) =>
      choiceFilter({
        key,
        label,
        shortcut: true,
        choices: values.map((value) => ({ label: labels[value] ?? value, value })),
        selected: filters[key],
        onChange: (selected) => setList(key, selected),
      }),
    ),
    choiceFilter({
      key: "age",
      label: "Failure age",
      shortcut: true,
      allowMultiple: false,
      choices: AGE_FILTERS.map((a) => ({ label: AGE_LABELS[a], value: a })),
      selected: filters.age ? [filters.age] : [],
      onChange: ([age]) => onChange({ ...filters, age: (age as AgeFilter | undefined) ?? null }),
    }),
  ];
  const applied: AppliedFilterInterface[] = LIST_FILTERS.filter(({ key }) => filters[key].length > 0).map(
    ({ key, tag, labels }) => ({
      key,
      label: `${tag}: ${filters[key].map((value) => labels[value] ?? value).join(", ")}`,
      onRemove: () => setList(key, []),
    }),
  );
  if (filters.age)
    applied.push({
      key: "age",
      label: `Failure: ${AGE_LABELS[filters.age].toLowerCase()}`,
      onRemove: () => onChange({ ...filters, age: null }),
    });
  return { filters: list, appliedFilters: applied };
}
