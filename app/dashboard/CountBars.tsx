/**
 * Counts of incidents as a sorted horizontal bar chart that is also a table (decision 0124): each
 * row's name and counts are table cells a screen reader reads as text, and the bars beside them
 * are plain SVG for the eye, hidden from assistive technology. The axis ticks are whole numbers
 * (countAxis). A row with too few incidents to read as a pattern (isSmallCount) is greyed, with its
 * count. Rendered on the server like the rest of the page: no chart library, nothing measured.
 */
import { Text } from "@shopify/polaris";
import type { CSSProperties, ReactNode } from "react";
import { countAxis, labelledTicks } from "../recovery/metrics/charts";
import { MIN_INCIDENTS_FOR_A_FIX } from "../recovery/digest/digest";

export interface CountBarRow {
  key: string;
  label: ReactNode;
  count: number;
  /** The previous period's count: a second, outlined bar under the first. */
  previous?: number;
  small: boolean;
}

export interface CountBarsProps {
  /** What the table shows, for screen readers (the card's heading says it to the eye). */
  caption: string;
  /** Column headings: the name's, this period's, and the previous period's when rows carry one. */
  headings: { label: string; count: string; previous?: string };
  rows: CountBarRow[];
}

const BAR = "var(--p-color-bg-fill-brand)";
const SMALL = "var(--p-color-text-disabled)";
const PREVIOUS = "var(--p-color-border-emphasis)";
const GRID = "var(--p-color-border-secondary)";

const cell: CSSProperties = { padding: "var(--p-space-150) var(--p-space-200)", verticalAlign: "middle" };
const numeric: CSSProperties = { ...cell, textAlign: "end", whiteSpace: "nowrap", width: "1%" };
const visuallyHidden: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
};

const SMALL_NOTE = ` (fewer than ${MIN_INCIDENTS_FOR_A_FIX}: too few to call a pattern)`;

export function CountBars({ caption, headings, rows }: CountBarsProps) {
  const withPrevious = headings.previous !== undefined;
  const axis = countAxis(Math.max(0, ...rows.flatMap((r) => [r.count, r.previous ?? 0])));
  const at = (n: number) => (n / axis.max) * 100;
  return (
    <table style={{ width: "100%", borderCollapse: "collapse" }} data-chart="count-bars">
      <caption style={visuallyHidden}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" style={{ ...cell, textAlign: "start" }}>
            <Text as="span" variant="headingSm">
              {headings.label}
            </Text>
          </th>
          <th scope="col" style={numeric}>
            <Text as="span" variant="headingSm">
              {headings.count}
            </Text>
          </th>
          {withPrevious ? (
            <th scope="col" style={numeric}>
              <Text as="span" variant="headingSm">
                {headings.previous}
              </Text>
            </th>
          ) : null}
          <th scope="col" style={{ ...cell, width: "45%", minWidth: "8rem" }}>
            <span style={visuallyHidden}>Bars</span>
            <div
              aria-hidden="true"
              style={{ position: "relative", height: "1.25rem" }}
              data-axis={axis.ticks.join(",")}
            >
              {labelledTicks(axis.ticks).map((t) => (
                <span
                  key={t}
                  style={{
                    position: "absolute",
                    left: `${at(t)}%`,
                    transform: t === 0 ? "none" : t === axis.max ? "translateX(-100%)" : "translateX(-50%)",
                  }}
                >
                  <Text as="span" variant="bodySm" tone="subdued">
                    {String(t)}
                  </Text>
                </span>
              ))}
            </div>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.key}
            data-small={row.small ? "true" : undefined}
            style={{ borderTop: "var(--p-border-width-025) solid var(--p-color-border-secondary)" }}
          >
            <th scope="row" style={{ ...cell, textAlign: "start", fontWeight: "normal" }}>
              {row.small ? (
                <Text as="span" tone="subdued">
                  {row.label}
                </Text>
              ) : (
                row.label
              )}
            </th>
            <td style={numeric}>
              <Text as="span" tone={row.small ? "subdued" : undefined} fontWeight={row.small ? undefined : "semibold"}>
                {String(row.count)}
              </Text>
              {row.small ? <span style={visuallyHidden}>{SMALL_NOTE}</span> : null}
            </td>
            {withPrevious ? (
              <td style={numeric}>
                <Text as="span" tone="subdued">
                  {String(row.previous ?? 0)}
                </Text>
              </td>
            ) : null}
            <td style={cell} aria-hidden="true">
              <svg
                width="100%"
                height={withPrevious ? 22 : 14}
                viewBox={`0 0 100 ${withPrevious ? 22 : 14}`}
                preserveAspectRatio="none"
                focusable="false"
              >
                {axis.ticks.map((t) => (
                  <line
                    key={t}
                    x1={at(t)}
                    x2={at(t)}
                    y1={0}
                    y2={withPrevious ? 22 : 14}
                    stroke={GRID}
                    vectorEffect="non-scaling-stroke"
                  />
                ))}
                <rect x={0} y={1} width={at(row.count)} height={12} fill={row.small ? SMALL : BAR} />
                {withPrevious && (row.previous ?? 0) > 0 ? (
                  <rect
                    x={0}
                    y={15}
                    width={at(row.previous ?? 0)}
                    height={6}
                    fill="none"
                    stroke={PREVIOUS}
                    vectorEffect="non-scaling-stroke"
                  />
                ) : null}
              </svg>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The key under a chart: what the solid and outlined bars are, and what grey means. */
export function CountBarsKey({ previous }: { previous?: string }) {
  const swatch = (style: CSSProperties) => (
    <span
      aria-hidden="true"
      style={{ display: "inline-block", width: 12, height: 10, marginInlineEnd: 4, verticalAlign: "middle", ...style }}
    />
  );
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      {previous ? (
        <>
          {swatch({ background: BAR })}This period {swatch({ border: `1px solid ${PREVIOUS}`, marginInlineStart: 12 })}
          {previous}.{" "}
        </>
      ) : null}
      {swatch({ background: SMALL })}Greyed: fewer than {MIN_INCIDENTS_FOR_A_FIX} incidents, too few to call a pattern.
    </Text>
  );
}
