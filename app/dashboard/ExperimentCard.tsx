/**
 * Did the make-goods bring customers back: the experiment's latest readout (assigned a make-good
 * against held out, by intent to treat, with 95% intervals), how far the next readout is, and how
 * much data a conclusion needs (decision 0111).
 */
import { Banner, BlockStack, DataTable, InlineGrid, ProgressBar, Text } from "@shopify/polaris";
import { SectionCard } from "../components/SectionCard";
import { Figure, interval, percent, points, type DashboardMetrics } from "./figures";

type ExperimentData = DashboardMetrics["experiment"];
type ReadoutData = ExperimentData["readouts"][number];

function dateIn(timeZone: string) {
  const format = new Intl.DateTimeFormat("en-US", { timeZone, month: "short", day: "numeric", year: "numeric" });
  return (value: string | Date | null) => (value === null ? "–" : format.format(new Date(value)));
}

const TONE: Record<ReadoutData["verdict"], "success" | "critical" | "info" | "warning"> = {
  BETTER: "success",
  WORSE: "critical",
  UNCLEAR: "info",
  TOO_FEW: "warning",
};

function LatestReadout({ readout, date }: { readout: ReadoutData; date: (value: string | Date) => string }) {
  const { treated, holdout, lift } = readout;
  return (
    <BlockStack gap="300">
      <Text as="p" tone="subdued">
        {`Readout ${readout.round}: incidents detected ${date(readout.firstDetectedAt)} to ${date(readout.lastDetectedAt)}, each followed for its full window.`}
      </Text>
      <InlineGrid columns={{ xs: 1, md: 4 }} gap="400">
        <Figure
          label="Assigned a make-good"
          value={percent(treated.rate)}
          note={`${treated.returned} of ${treated.incidents} ordered again (${interval(treated.interval)})`}
        />
        <Figure
          label="Held out"
          value={percent(holdout.rate)}
          note={`${holdout.returned} of ${holdout.incidents} ordered again (${interval(holdout.interval)})`}
        />
        <Figure
          label="Lift (95% interval)"
          value={lift ? points(lift.difference) : "Too few"}
          note={
            lift ? `${points(lift.interval.low)} to ${points(lift.interval.high)}` : "Each group needs 30 incidents"
          }
        />
        <Figure
          label="Per make-good that went out"
          value={readout.perIssued ? points(readout.perIssued.difference) : "–"}
          note={
            readout.perIssued
              ? `${points(readout.perIssued.interval.low)} to ${points(readout.perIssued.interval.high)}; ${percent(readout.issuedShare)} of assigned incidents got one`
              : "Shown once make-goods go out"
          }
        />
      </InlineGrid>
      <Banner tone={TONE[readout.verdict]}>
        <p>{readout.sentence}</p>
      </Banner>
    </BlockStack>
  );
}

export function ExperimentCard({ experiment, timeZone }: { experiment: ExperimentData; timeZone: string }) {
  const date = dateIn(timeZone);
  const { progress, settings } = experiment;
  const latest = experiment.readouts[experiment.readouts.length - 1];
  const earlier = experiment.readouts.slice(0, -1).reverse();
  const followed = settings.readoutIncidents - progress.needed;
  return (
    <SectionCard
      section="fullWidth"
      title="Did the make-goods bring customers back?"
      description={`Incidents assigned a make-good against incidents held out at random, whatever happened to the offer afterwards. An incident counts once its ${settings.windowDays}-day window has closed; results are read in rounds of ${settings.readoutIncidents} incidents, each read once, so checking the page daily cannot produce a chance result.`}
    >
      {latest ? (
        <LatestReadout readout={latest} date={date} />
      ) : (
        <Banner tone="info">
          <p>{experiment.sentence}</p>
        </Banner>
      )}
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {latest ? "Next readout" : "First readout"}
        </Text>
        <ProgressBar
          progress={Math.round((100 * followed) / settings.readoutIncidents)}
          ariaLabelledBy="readout-progress"
        />
        <Text as="p" id="readout-progress">
          {`${followed} of ${settings.readoutIncidents} incidents followed for ${settings.windowDays} days; ${progress.maturing} still maturing${
            progress.nextMaturesAt ? ` (the next on ${date(progress.nextMaturesAt)})` : ""
          }. ${
            progress.readoutDueAt
              ? `Due ${progress.readoutDueIsProjection ? "around" : "on"} ${date(progress.readoutDueAt)}${progress.readoutDueIsProjection ? " at the current pace of incidents" : ""}.`
              : "Due once more incidents are detected."
          }`}
        </Text>
        {experiment.plannedMinimumDetectableLift !== null ? (
          <Text as="p" tone="subdued">
            {`How much data is enough: a readout of ${settings.readoutIncidents} incidents with a ${percent(settings.holdoutShare)} holdout can reliably detect a lift of about ${Math.round(experiment.plannedMinimumDetectableLift * 100)} points or more${
              experiment.incidentsForPlanningLift !== null && Number.isFinite(experiment.incidentsForPlanningLift)
                ? `; finding a 5-point lift needs about ${experiment.incidentsForPlanningLift.toLocaleString("en-US")} incidents per readout (Settings, Measurement)`
                : ""
            }.`}
          </Text>
        ) : null}
        {experiment.guests > 0 ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {`${experiment.guests} guest-checkout incidents are not compared: whether a guest orders again cannot be known.`}
          </Text>
        ) : null}
      </BlockStack>
      {earlier.length > 0 ? (
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric"]}
          headings={["Earlier readout", "Incidents detected", "Lift", "95% interval"]}
          rows={earlier.map((r) => [
            `Readout ${r.round}`,
            `${date(r.firstDetectedAt)} – ${date(r.lastDetectedAt)}`,
            r.lift ? points(r.lift.difference) : "Too few",
            r.lift ? `${points(r.lift.interval.low)} to ${points(r.lift.interval.high)}` : "–",
          ])}
        />
      ) : null}
    </SectionCard>
  );
}
