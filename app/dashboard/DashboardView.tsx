/**
 * The app home's body: first what needs someone today (NeedsAttentionCard), then the setup guide
 * while it shows, then what a merchant asks "is this paying?" with. Pure presentation of the
 * loader's data (app/services/dashboard.server.ts); the route wires the URL and the form. Each
 * card is its own component beside this file.
 */
import { Banner, BlockStack, Button, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { Dashboard } from "../services/dashboard.server";
import { DataRequestsBanner } from "./DataRequestsBanner";
import { DateRangePicker, rangeLabel, type PickedRange } from "./DateRangePicker";
import { EmptyCard } from "./EmptyCard";
import { HeadlineMetrics } from "./HeadlineMetrics";
import { IncidentsByTypeCard } from "./IncidentsByTypeCard";
import { NeedsAttentionCard } from "./NeedsAttentionCard";
import { SetupGuide } from "./SetupGuide";
import { ExperimentCard } from "./ExperimentCard";
import { FirstContactCard } from "./FirstContactCard";
import { RootCausesCard } from "./RootCausesCard";
import { ConsumptionCard, TimeToOfferCard } from "./SettlementCards";
import { CsatCard } from "./CsatCard";
import { ArmsExperimentsCard } from "./ArmsExperimentsCard";

export interface DashboardViewProps {
  data: Dashboard;
  loading: boolean;
  exporting: boolean;
  onExport(): void;
  onRangeChange(range: PickedRange): void;
  dismissForm(button: ReactNode): ReactNode;
  /** The form that marks a setup step done by hand. */
  completeStepForm(step: "defaults" | "grid", button: ReactNode): ReactNode;
  /** The form that restores background access (shown in the banner when Shopify refused to renew it). */
  restoreAccessForm(button: ReactNode): ReactNode;
  /** The form that makes an experiment's arm its cell's only make-good (decision 0119). */
  adoptArmForm?(experimentKey: string, arm: number, button: ReactNode): ReactNode;
}

export function DashboardView({
  data,
  loading,
  exporting,
  onExport,
  onRangeChange,
  dismissForm,
  completeStepForm,
  restoreAccessForm,
  adoptArmForm,
}: DashboardViewProps) {
  const m = data.metrics;
  const label = rangeLabel(data.range, data.range.preset);
  const period =
    label.toLowerCase().startsWith("last") || label === "This month" ? label.toLowerCase() : `from ${label}`;
  // Store events are counted over the range picked above, like everything else on the page.
  const inboxWindow = period.startsWith("last") ? `in the ${period}` : period;

  return (
    <Page
      title="Dashboard"
      subtitle={`Is it paying? Incidents detected ${period}, in ${data.timeZone} time.`}
      secondaryActions={[
        {
          content: "Export offers (CSV)",
          onAction: onExport,
          loading: exporting,
          accessibilityLabel: `Export offers of ${label} as CSV`,
        },
      ]}
    >
      <BlockStack gap="400">
        <NeedsAttentionCard attention={data.attention} timeZone={data.timeZone} restoreForm={restoreAccessForm} />
        {data.dataRequests ? <DataRequestsBanner waiting={data.dataRequests} timeZone={data.timeZone} /> : null}
        <SetupGuide data={data} dismissForm={dismissForm} completeStepForm={completeStepForm} />
        {data.range.problem ? (
          <Banner tone="warning" title="Date range not recognised">
            <p>{data.range.problem}</p>
          </Banner>
        ) : null}
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <DateRangePicker range={data.range} preset={data.range.preset} today={data.today} onApply={onRangeChange} />
          <Text as="span" tone="subdued">
            {loading ? "Updating…" : `${m.incidentCount} incidents, ${m.issuedCount} offers issued`}
          </Text>
        </InlineStack>

        {data.fresh ? (
          <EmptyCard
            heading="Nothing to make good yet"
            actions={
              // While the setup guide shows, its steps are the actions: each appears once on the page.
              data.onboarding ? undefined : (
                <InlineStack gap="200">
                  <Button variant="primary" url="/app/settings">
                    Check the defaults
                  </Button>
                  <Button url="/app/grid">Review the compensation grid</Button>
                </InlineStack>
              )
            }
          >
            {data.inbox.total === 0
              ? `Amends is installed and listening, but no store events have arrived yet ${inboxWindow}. When orders, shipments and refunds happen, it watches them for service failures.`
              : `Amends has received ${data.inbox.total} store events ${inboxWindow} and found no service failure yet${data.inbox.failed > 0 ? ` (${data.inbox.failed} could not be read)` : ""}.`}{" "}
            When an order ships late, a parcel is delayed or lost, or the store refunds or cancels an order, the
            incident appears here with the make-good your grid gives and, later, whether the customer came back.
          </EmptyCard>
        ) : (
          <Layout>
            <Layout.Section>
              <HeadlineMetrics metrics={m} currency={data.currency} />
            </Layout.Section>
            <ExperimentCard experiment={m.experiment} timeZone={data.timeZone} />
            {data.armsExperiments.length > 0 ? (
              <ArmsExperimentsCard
                experiments={data.armsExperiments}
                currency={data.currency}
                adoptForm={adoptArmForm}
              />
            ) : null}
            {m.incidentCount === 0 ? (
              <Layout.Section>
                <EmptyCard heading="No incidents in this period">
                  Nothing went wrong between these dates, or nothing was detected. Choose a longer range, such as the
                  last 90 days.
                </EmptyCard>
              </Layout.Section>
            ) : (
              <>
                <IncidentsByTypeCard incidentsByType={data.incidentsByType} rangeLabel={label} />
                <ConsumptionCard consumption={m.consumption} />
                <TimeToOfferCard timeToOffer={m.timeToOffer} />
                <FirstContactCard firstContact={data.firstContact} />
                <RootCausesCard metrics={m} names={data.causeNames} />
                <CsatCard csat={data.csat} />
              </>
            )}
          </Layout>
        )}
      </BlockStack>
    </Page>
  );
}
