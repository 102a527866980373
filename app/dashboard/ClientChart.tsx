/**
 * Renders the incidents chart in the browser only, behind a placeholder of the chart's own height,
 * so nothing below it moves when it arrives (no layout shift).
 */
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import type { ChartSeries } from "./IncidentsChart";

const IncidentsChart = lazy(() => import("./IncidentsChart"));

export const CHART_HEIGHT = 280;

export function ClientIncidentsChart({ series, label }: { series: ChartSeries[]; label: string }) {
  const [mounted, setMounted] = useState(false);
  const visual = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setMounted(true);
    // React 18 does not pass `inert` through; see the note on the figure below.
    visual.current?.setAttribute("inert", "");
  }, []);
  // polaris-viz's SVG nests role="list" groups (empty days have no list items), which axe reports as
  // aria-required-children. The picture is for the eye: assistive technology gets the figure's label
  // and the table of counts beside it, and the chart itself is hidden from it and not focusable.
  return (
    <figure aria-label={label} style={{ margin: 0, minHeight: CHART_HEIGHT }}>
      <div ref={visual} aria-hidden="true" style={{ height: CHART_HEIGHT }}>
        {mounted ? (
          <Suspense fallback={null}>
            <IncidentsChart series={series} height={CHART_HEIGHT} />
          </Suspense>
        ) : null}
      </div>
    </figure>
  );
}
