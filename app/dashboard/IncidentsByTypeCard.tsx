/**
 * "Which kinds of failure are growing?": incidents by type in the range against the same number of
 * days just before it, most first, as one bar chart that is also the table of counts (decision 0124).
 */
import { BlockStack } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import { INCIDENT_TYPE_LABELS } from "../recovery/words";
import type { Dashboard } from "../services/dashboard.server";
import { CountBars, CountBarsKey } from "./CountBars";

const dayLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
/** "2026-11-02" as "Nov 2, 2026": a shop-local date, shown without any zone shift. */
const formatDate = (date: string) => dayLabel.format(new Date(`${date}T12:00:00Z`));

export function IncidentsByTypeCard({
  incidentsByType,
  rangeLabel,
}: {
  incidentsByType: Dashboard["incidentsByType"];
  rangeLabel: string;
}) {
  const { rows, previous } = incidentsByType;
  const days = Math.round((Date.parse(previous.to) - Date.parse(previous.from)) / 86_400_000) + 1;
  const previousHeading = `Previous ${days === 1 ? "day" : `${days} days`}`;
  const previousSpan =
    previous.from === previous.to
      ? formatDate(previous.from)
      : `${formatDate(previous.from)} to ${formatDate(previous.to)}`;
  return (
    <SectionCard
      section="fullWidth"
      title="Incidents by type"
      description={`${rangeLabel} against the ${days === 1 ? "day" : `${days} days`} before (${previousSpan}).`}
    >
      <BlockStack gap="200">
        <CountBars
          caption={`Incidents by type, ${rangeLabel}, against the previous ${days === 1 ? "day" : `${days} days`}, ${previousSpan}`}
          headings={{ label: "Type", count: "This period", previous: previousHeading }}
          rows={rows.map((r) => ({
            key: r.type,
            label: INCIDENT_TYPE_LABELS[r.type],
            count: r.count,
            previous: r.previous,
            small: r.small,
          }))}
        />
        <CountBarsKey previous={`${previousHeading}, ${previousSpan}`} />
      </BlockStack>
    </SectionCard>
  );
}
