/** Incidents over time by type (a chart for the eye) and the same counts as a table. */
import { DataTable } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import { INCIDENT_TYPES } from "../recovery/vocabulary";
import { INCIDENT_TYPE_LABELS, labelOf } from "../recovery/words";
import { ClientIncidentsChart } from "./ClientChart";
import type { DashboardMetrics } from "./figures";

export function IncidentsByTypeCard({
  metrics,
  bucket,
  rangeLabel,
}: {
  metrics: DashboardMetrics;
  bucket: string;
  rangeLabel: string;
}) {
  const types = INCIDENT_TYPES.filter((t) => metrics.overTime.some((b) => b.byType[t]));
  const series = types.map((t) => ({
    name: INCIDENT_TYPE_LABELS[t],
    data: metrics.overTime.map((b) => ({ key: b.start, value: b.byType[t] ?? 0 })),
  }));
  return (
    <SectionCard section="fullWidth" title="Incidents by type">
      <ClientIncidentsChart
        series={series}
        label={`Chart of incidents by type per ${bucket}, ${rangeLabel}; the counts by type are in the table below.`}
      />
      <DataTable
        columnContentTypes={["text", "numeric"]}
        headings={["Type", "Incidents"]}
        rows={metrics.rootCauses.byType.map((c) => [labelOf(INCIDENT_TYPE_LABELS, c.key), c.count])}
      />
    </SectionCard>
  );
}
