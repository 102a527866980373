/** "Getting started": three steps for a new shop, with a sample of what a customer would get. */
import { BlockStack, Box, Button, Collapsible, InlineStack, List, Text } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { SectionCard } from "../components/SectionCard";
import { formatMoney } from "../recovery/money";
import type { Dashboard } from "../services/dashboard.server";

export function Onboarding({ data, dismissForm }: { data: Dashboard; dismissForm(button: ReactNode): ReactNode }) {
  const [showSample, setShowSample] = useState(false);
  if (!data.onboarding) return null;
  const { sample } = data.onboarding;
  const d = sample?.decision;
  const outcome = !d
    ? null
    : d.kind === "OFFER"
      ? `${d.summary.split("; ").pop() ?? ""}: worth ${formatMoney(d.faceValueMinor, data.currency)}, approval ${d.approval.toLowerCase()}.`
      : d.summary;
  return (
    <SectionCard title="Getting started">
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
          {sample ? (
            <Button
              variant="plain"
              onClick={() => setShowSample((s) => !s)}
              ariaExpanded={showSample}
              ariaControls="sample-offer"
            >
              {showSample ? "Hide the sample offer" : "See a sample offer"}
            </Button>
          ) : (
            <Text as="span" tone="subdued">
              The sample gives a gift product whose price Shopify did not return just now; reload to try again.
            </Text>
          )}
        </List.Item>
        <List.Item>Hide this card when you are done.</List.Item>
      </List>
      {sample && d ? (
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
      ) : null}
      <InlineStack gap="200">{dismissForm(<Button submit>Done</Button>)}</InlineStack>
    </SectionCard>
  );
}
