/**
 * The dashboard's body: what a merchant asks "is this paying?" with. Pure presentation of the
 * loader's data (app/services/dashboard.server.ts); the route wires the URL and the form.
 */
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Collapsible,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { formatMoney } from "../recovery/money";
import type { Dashboard } from "../services/dashboard.server";
import { ClientIncidentsChart } from "./ClientChart";
import { DateRangePicker, rangeLabel, type PickedRange } from "./DateRangePicker";

const TYPE_LABELS: Record<string, string> = {
  LATE_FULFILLMENT: "Late fulfillment",
  DELIVERY_DELAY: "Delivery delay",
  DELIVERY_FAILURE: "Delivery failure",
  REFUND: "Refund",
  MERCHANT_CANCELLATION: "Store cancellation",
  MANUAL: "Reported by staff",
};
const BUCKET_LABELS: Record<string, string> = { SAME_DAY: "Same day", NEXT_DAY: "Next day", LATER: "Later" };

const percent = (rate: number | null) => (rate === null ? "–" : `${Math.round(rate * 100)}%`);
const points = (fraction: number) => `${fraction >= 0 ? "+" : "−"}${Math.abs(Math.round(fraction * 100))} pts`;
const shortId = (gid: string) => gid.split("/").pop() ?? gid;

/** Root causes listed per kind. */
const TOP_ROOT_CAUSES = 5;

/** A root cause as a merchant reads it: the product's title, the carrier, "Location 12". */
function causeLabel(
  kind: "Products" | "Carriers" | "Locations",
  key: string,
  productNames: Record<string, string>,
): string {
  if (kind === "Carriers") return key;
  if (kind === "Products") return productNames[key] ?? `Product ${shortId(key)}`;
  return `Location ${shortId(key)}`;
}

export interface DashboardViewProps {
  data: Dashboard;
  loading: boolean;
  exporting: boolean;
  onExport(): void;
  onRangeChange(range: PickedRange): void;
  dismissForm(button: ReactNode): ReactNode;
}

function Metric({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function EmptyCard({ heading, children, actions }: { heading: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <Card>
      <Box paddingBlock="600" paddingInline="400">
        <BlockStack gap="300" inlineAlign="center">
          <Text as="h2" variant="headingLg" alignment="center">
            {heading}
          </Text>
          <Box maxWidth="36rem">
            <Text as="p" alignment="center" tone="subdued">
              {children}
            </Text>
          </Box>
          {actions}
        </BlockStack>
      </Box>
    </Card>
  );
}

function Onboarding({ data, dismissForm }: Pick<DashboardViewProps, "data" | "dismissForm">) {
  const [showSample, setShowSample] = useState(false);
  const sample = data.onboarding?.sample;
  if (!sample) return null;
  const d = sample.decision;
  const outcome =
    d.kind === "OFFER"
      ? `${d.summary.split("; ").pop() ?? ""}: worth ${formatMoney(d.faceValueMinor, data.currency)}, approval ${d.approval.toLowerCase()}.`
      : d.summary;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Getting started
        </Text>
        <Text as="p">
          Amends watches your orders, shipments and refunds, and makes good on failures with the offers of your
          compensation grid. Three things before it goes to work:
        </Text>
        <List type="number">
          <List.Item>
            Check the defaults: handling time, which failures count, the holdout share, budgets and approvals.{" "}
            <Button variant="plain" url="/app/settings">
              Check the defaults
            </Button>
          </List.Item>
          <List.Item>
            See what a customer would get.{" "}
            <Button
              variant="plain"
              onClick={() => setShowSample((s) => !s)}
              ariaExpanded={showSample}
              ariaControls="sample-offer"
            >
              {showSample ? "Hide the sample offer" : "See a sample offer"}
            </Button>
          </List.Item>
          <List.Item>Hide this card when you are done.</List.Item>
        </List>
        <Collapsible id="sample-offer" open={showSample}>
          <Box padding="300" background="bg-surface-secondary" borderRadius="200">
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Sample: a late order
              </Text>
              <Text as="p">{sample.scenario}</Text>
              <Text as="p" fontWeight="semibold">
                {outcome}
              </Text>
              <List>
                {d.explanation.map((line) => (
                  <List.Item key={line}>{line}</List.Item>
                ))}
              </List>
              {sample.holdoutShare > 0 ? (
                <Text as="p" tone="subdued">
                  {`About ${Math.round(sample.holdoutShare * 100)}% of eligible incidents are held out at random and get no offer: they are the comparison that proves the lift.`}
                </Text>
              ) : null}
            </BlockStack>
          </Box>
        </Collapsible>
        <InlineStack gap="200">{dismissForm(<Button submit>Done</Button>)}</InlineStack>
      </BlockStack>
    </Card>
  );
}

export function DashboardView({ data, loading, exporting, onExport, onRangeChange, dismissForm }: DashboardViewProps) {
  const m = data.metrics;
  const money = (minor: number | null) => (minor === null ? "–" : formatMoney(Math.round(minor), data.currency));
  const issuedOffers = m.timeToOffer.reduce((n, b) => n + b.offers, 0);
  const roi = m.returnOnInvestment;
  const lift = m.recovery.lift;
  const types = Object.keys(TYPE_LABELS).filter((t) => m.overTime.some((b) => (b.byType as Record<string, number>)[t]));
  const series = types.map((t) => ({
    name: TYPE_LABELS[t] ?? t,
    data: m.overTime.map((b) => ({ key: b.start, value: (b.byType as Record<string, number>)[t] ?? 0 })),
  }));
  const label = rangeLabel(data.range, data.range.preset);

  const picker = (
    <DateRangePicker range={data.range} preset={data.range.preset} today={data.today} onApply={onRangeChange} />
  );

  return (
    <Page
      title="Dashboard"
      subtitle={`Is it paying? Incidents detected ${label.toLowerCase().startsWith("last") || label === "This month" ? label.toLowerCase() : `from ${label}`}, in ${data.timeZone} time.`}
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
        {data.range.problem ? (
          <Banner tone="warning" title="Date range not recognised">
            <p>{data.range.problem}</p>
          </Banner>
        ) : null}
        <Onboarding data={data} dismissForm={dismissForm} />
        <InlineStack align="space-between" blockAlign="center" gap="200">
          {picker}
          {loading ? (
            <Text as="span" tone="subdued">
              Updating…
            </Text>
          ) : (
            <Text as="span" tone="subdued">{`${m.incidentCount} incidents, ${issuedOffers} offers issued`}</Text>
          )}
        </InlineStack>

        {data.fresh ? (
          <EmptyCard
            heading="Nothing to make good yet"
            actions={
              <InlineStack gap="200">
                <Button variant="primary" url="/app/settings">
                  Check the defaults
                </Button>
                <Button url="/app/grid">Review the compensation grid</Button>
              </InlineStack>
            }
          >
            {data.inbox.total === 0
              ? "Amends is installed and listening, but no store events have arrived yet. When orders, shipments and refunds happen, it watches them for service failures."
              : `Amends has received ${data.inbox.total} store events and found no service failure yet${data.inbox.failed > 0 ? ` (${data.inbox.failed} could not be read and are kept for review)` : ""}.`}{" "}
            When an order ships late, a parcel is delayed or lost, or the store refunds or cancels an order, the
            incident appears here with the make-good your grid gives and, later, whether the customer came back. Start
            by checking the defaults.
          </EmptyCard>
        ) : m.incidentCount === 0 ? (
          <EmptyCard heading="No incidents in this period">
            Nothing went wrong between these dates, or nothing was detected. Choose a longer range, such as the last 90
            days.
          </EmptyCard>
        ) : (
          <Layout>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                <Metric
                  label="Revenue won back"
                  value={money(roi.revenueWonBackMinor)}
                  help={`Holdout: ${money(roi.holdoutRevenueWonBackMinor)}`}
                />
                <Metric
                  label="Return on offers"
                  value={roi.roi === null ? "–" : `${roi.roi >= 0 ? "" : "−"}${Math.abs(roi.roi).toFixed(1)}×`}
                  help={
                    roi.incrementalRevenueMinor === null
                      ? "Needs a holdout group and used offers"
                      : `Incremental revenue ${money(roi.incrementalRevenueMinor)} against ${money(roi.cost.usedMinor)} used`
                  }
                />
                <Metric
                  label="Offers issued"
                  value={String(issuedOffers)}
                  help={`Face value ${money(roi.cost.faceValueIssuedMinor)}`}
                />
                <Metric
                  label="Discount actually used"
                  value={money(roi.cost.usedMinor)}
                  help="What customers redeemed; unused offers cost nothing"
                />
              </InlineGrid>
            </Layout.Section>

            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Did the make-goods bring customers back?
                  </Text>
                  <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm" tone="subdued">
                        Recovery rate with a make-good
                      </Text>
                      <Text as="p" variant="headingXl">
                        {percent(m.recovery.treated.rate)}
                      </Text>
                      <Text
                        as="p"
                        variant="bodySm"
                        tone="subdued"
                      >{`${m.recovery.treated.wonBack} of ${m.recovery.treated.incidents} came back`}</Text>
                    </BlockStack>
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm" tone="subdued">
                        Holdout (no make-good)
                      </Text>
                      <Text as="p" variant="headingXl">
                        {percent(m.recovery.holdout.rate)}
                      </Text>
                      <Text
                        as="p"
                        variant="bodySm"
                        tone="subdued"
                      >{`${m.recovery.holdout.wonBack} of ${m.recovery.holdout.incidents} came back`}</Text>
                    </BlockStack>
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm" tone="subdued">
                        Lift (95% interval)
                      </Text>
                      <Text as="p" variant="headingXl">
                        {lift.insufficientData ? "Not yet" : points(lift.difference)}
                      </Text>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {lift.insufficientData
                          ? `Needs ${lift.rule}`
                          : `${points(lift.interval.low)} to ${points(lift.interval.high)}`}
                      </Text>
                    </BlockStack>
                  </InlineGrid>
                  <Banner tone={lift.insufficientData ? "info" : lift.interval.low > 0 ? "success" : "info"}>
                    <p>{m.recovery.sentence}</p>
                  </Banner>
                </BlockStack>
              </Card>
            </Layout.Section>

            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Incidents by type
                  </Text>
                  <ClientIncidentsChart
                    series={series}
                    label={`Chart of incidents by type per ${data.bucket}, ${label}; the counts by type are in the table below.`}
                  />
                  <DataTable
                    columnContentTypes={["text", "numeric"]}
                    headings={["Type", "Incidents"]}
                    rows={m.rootCauses.byType.map((c) => [TYPE_LABELS[c.key] ?? c.key, c.count])}
                  />
                </BlockStack>
              </Card>
            </Layout.Section>

            <Layout.Section variant="oneHalf">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Consumption and breakage
                  </Text>
                  {m.consumption.consumptionRate === null ? (
                    <Text as="p">
                      No issued offer has been used or expired yet: consumption shows once offers settle.
                    </Text>
                  ) : (
                    <BlockStack gap="200">
                      <ProgressBar
                        progress={Math.round(m.consumption.consumptionRate * 100)}
                        tone="success"
                        ariaLabelledBy="consumption-label"
                      />
                      <Text as="p" id="consumption-label">
                        {`${percent(m.consumption.consumptionRate)} used, ${percent(m.consumption.breakageRate)} never used (${m.consumption.redeemed} of ${m.consumption.settled} settled offers redeemed).`}
                      </Text>
                      <Text as="p" tone="subdued" variant="bodySm">
                        Healthy breakage is around 10–15%; offers nobody uses are the wrong offers.
                      </Text>
                    </BlockStack>
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>

            <Layout.Section variant="oneHalf">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Time to offer
                  </Text>
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                    headings={["Offer arrived", "Offers", "Came back", "Recovery rate"]}
                    rows={m.timeToOffer.map((b) => [
                      BUCKET_LABELS[b.bucket] ?? b.bucket,
                      b.offers,
                      b.wonBack,
                      percent(b.recoveryRate),
                    ])}
                  />
                  <Text as="p" tone="subdued" variant="bodySm">
                    Counted from when the failure began to when the offer was issued, in shop-local days.
                  </Text>
                </BlockStack>
              </Card>
            </Layout.Section>

            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Top root causes
                    </Text>
                    <Badge>{`${m.incidentCount} incidents`}</Badge>
                  </InlineStack>
                  <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
                    {(
                      [
                        ["Products", m.rootCauses.byProduct],
                        ["Carriers", m.rootCauses.byCarrier],
                        ["Locations", m.rootCauses.byLocation],
                      ] as const
                    ).map(([title, causes]) => (
                      <BlockStack gap="200" key={title}>
                        <Text as="h3" variant="headingSm">
                          {title}
                        </Text>
                        {causes.length === 0 ? (
                          <Text as="p" tone="subdued">
                            None recorded
                          </Text>
                        ) : (
                          <List>
                            {causes.slice(0, TOP_ROOT_CAUSES).map((c) => (
                              <List.Item
                                key={c.key}
                              >{`${causeLabel(title, c.key, data.productNames)}: ${c.count}`}</List.Item>
                            ))}
                          </List>
                        )}
                      </BlockStack>
                    ))}
                  </InlineGrid>
                </BlockStack>
              </Card>
            </Layout.Section>
          </Layout>
        )}
      </BlockStack>
    </Page>
  );
}
