/** Did the make-goods bring customers back: the treated and holdout recovery rates and the lift between them. */
import { Banner, InlineGrid } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import { Figure, percent, points, type DashboardMetrics } from "./figures";

export function RecoveryCard({ recovery }: { recovery: DashboardMetrics["recovery"] }) {
  const { treated, holdout, lift } = recovery;
  return (
    <SectionCard section="fullWidth" title="Did the make-goods bring customers back?">
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
        <Figure
          label="Recovery rate with a make-good"
          value={percent(treated.rate)}
          note={`${treated.wonBack} of ${treated.incidents} came back`}
        />
        <Figure
          label="Holdout (no make-good)"
          value={percent(holdout.rate)}
          note={`${holdout.wonBack} of ${holdout.incidents} came back`}
        />
        <Figure
          label="Lift (95% interval)"
          value={lift.insufficientData ? "Not yet" : points(lift.difference)}
          note={
            lift.insufficientData
              ? `Needs ${lift.rule}`
              : `${points(lift.interval.low)} to ${points(lift.interval.high)}`
          }
        />
      </InlineGrid>
      <Banner tone={!lift.insufficientData && lift.interval.low > 0 ? "success" : "info"}>
        <p>{recovery.sentence}</p>
      </Banner>
    </SectionCard>
  );
}
