/** The queue's filters as Polaris Filters: one ChoiceList each, the applied ones as removable tags. */
import type { AppliedFilterInterface, FilterInterface } from "@shopify/polaris";
import { choiceFilter } from "../choiceFilter";
import { INCIDENT_TYPES, SEVERITIES, TIERS } from "../../recovery/vocabulary";
import { AGE_FILTERS, AGE_LABELS, TYPE_LABELS, type AgeFilter, type QueueFilters } from "./filters";

const TIER_LABELS = { NEW: "New", REGULAR: "Regular", LOYAL: "Loyal", VIP: "VIP" } as const;
const capitalised = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

export function filterControls(
  filters: QueueFilters,
  onChange: (next: QueueFilters) => void,
): { filters: FilterInterface[]; appliedFilters: AppliedFilterInterface[] } {
  const list: FilterInterface[] = [
    choiceFilter({
      key: "type",
      label: "Failure type",
      shortcut: true,
      choices: INCIDENT_TYPES.map((t) => ({ label: TYPE_LABELS[t], value: t })),
      selected: filters.type,
      onChange: (type) => onChange({ ...filters, type: type as QueueFilters["type"] }),
    }),
    choiceFilter({
      key: "severity",
      label: "Severity",
      shortcut: true,
      choices: SEVERITIES.map((s) => ({ label: capitalised(s), value: s })),
      selected: filters.severity,
      onChange: (severity) => onChange({ ...filters, severity: severity as QueueFilters["severity"] }),
    }),
    choiceFilter({
      key: "tier",
      label: "Customer tier",
      shortcut: true,
      choices: TIERS.map((t) => ({ label: TIER_LABELS[t], value: t })),
      selected: filters.tier,
      onChange: (tier) => onChange({ ...filters, tier: tier as QueueFilters["tier"] }),
    }),
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
  const applied: AppliedFilterInterface[] = [];
  if (filters.type.length > 0)
    applied.push({
      key: "type",
      label: `Type: ${filters.type.map((t) => TYPE_LABELS[t]).join(", ")}`,
      onRemove: () => onChange({ ...filters, type: [] }),
    });
  if (filters.severity.length > 0)
    applied.push({
      key: "severity",
      label: `Severity: ${filters.severity.join(", ")}`,
      onRemove: () => onChange({ ...filters, severity: [] }),
    });
  if (filters.tier.length > 0)
    applied.push({
      key: "tier",
      label: `Tier: ${filters.tier.map((t) => TIER_LABELS[t]).join(", ")}`,
      onRemove: () => onChange({ ...filters, tier: [] }),
    });
  if (filters.age)
    applied.push({
      key: "age",
      label: `Failure: ${AGE_LABELS[filters.age].toLowerCase()}`,
      onRemove: () => onChange({ ...filters, age: null }),
    });
  return { filters: list, appliedFilters: applied };
}
