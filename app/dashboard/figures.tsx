/** The dashboard's numbers in words, and a headline figure with its label and a note under it. */
import { BlockStack, Card, Text } from "@shopify/polaris";
import { formatMoney } from "../recovery/money";
import type { Dashboard } from "../services/dashboard.server";

export type DashboardMetrics = Dashboard["metrics"];

export const percent = (rate: number | null) => (rate === null ? "–" : `${Math.round(rate * 100)}%`);
export const points = (fraction: number) => {
  const n = Math.round(fraction * 100);
  return n === 0 ? "0 pts" : `${n > 0 ? "+" : "−"}${Math.abs(n)} pts`;
};
/** A rate's 95% interval, "12–30%". */
export const interval = (range: { low: number; high: number } | null) =>
  range === null ? "–" : `95%: ${Math.round(range.low * 100)}–${Math.round(range.high * 100)}%`;

/** Money in the shop's currency, "–" when there is nothing to show. */
export function moneyIn(currency: string) {
  return (minor: number | null) => (minor === null ? "–" : formatMoney(Math.round(minor), currency));
}

export function Figure({
  label,
  value,
  note,
  size = "headingXl",
}: {
  label: string;
  value: string;
  note?: string;
  size?: "headingXl" | "heading2xl";
}) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant={size}>
        {value}
      </Text>
      {note ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {note}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** A headline figure on a card of its own, for the row of four at the top. */
export function MetricCard(props: { label: string; value: string; note?: string }) {
  return (
    <Card>
      <Figure {...props} size="heading2xl" />
    </Card>
  );
}
