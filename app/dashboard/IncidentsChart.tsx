/**
 * Incidents by type over time, a stacked bar chart (polaris-viz). Loaded lazily and only in the
 * browser (see ClientChart): polaris-viz measures its container, so a server render would only
 * produce an empty frame, and keeping it out of the page's first bundle lets the numbers paint first.
 */
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";

export interface ChartSeries {
  name: string;
  data: Array<{ key: string; value: number }>;
}

const dayLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
/** "2026-11-02" as "Nov 2": the bucket's first shop-local date, shown without any zone shift. */
const formatBucket = (value: string | number | null) =>
  typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? dayLabel.format(new Date(`${value}T12:00:00Z`))
    : String(value ?? "");

export default function IncidentsChart({ series, height }: { series: ChartSeries[]; height: number }) {
  return (
    <PolarisVizProvider>
      <div style={{ height }}>
        <BarChart
          data={series}
          type="stacked"
          theme="Light"
          showLegend
          xAxisOptions={{ labelFormatter: formatBucket }}
          emptyStateText="No incidents in this period"
        />
      </div>
    </PolarisVizProvider>
  );
}
