/**
 * The setup guide (decision 0120): three steps for a new shop, ticked as their work shows or as a
 * member marks them done, with its progress. Only the next step to do has actions, and its first is
 * the card's one primary action; once every step is done, hiding the guide is.
 */
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Collapsible,
  Divider,
  InlineStack,
  List,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { Fragment, useState, type ReactNode } from "react";
import { SectionCard } from "../components/SectionCard";
import { formatMoney } from "../recovery/money";
import type { Dashboard, SetupStepKey } from "../services/dashboard.server";

export interface SetupGuideProps {
  data: Dashboard;
  dismissForm(button: ReactNode): ReactNode;
  /** The form that marks a step done by hand (steps whose work is looking, not saving). */
  completeStepForm(step: "defaults" | "grid", button: ReactNode): ReactNode;
}

const STEPS: Record<SetupStepKey, { title: string; body: string; action: { content: string; url: string } }> = {
  defaults: {
    title: "Check the defaults",
    body: "Handling time, which failures count, the share held out for comparison, budgets and who approves.",
    action: { content: "Open Settings", url: "/app/settings" },
  },
  grid: {
    title: "Review the compensation grid",
    body: "Which make-good each failure gets, from a minor delay to a lost parcel, for new and loyal customers.",
    action: { content: "Open the grid", url: "/app/grid" },
  },
  firstIncident: {
    title: "Handle your first incident",
    body: "Amends finds them on its own when an order ships late, a parcel is delayed or lost, or an order is refunded or cancelled. You can also report one yourself.",
    action: { content: "Report an incident", url: "/app/incidents/new" },
  },
};

export function SetupGuide({ data, dismissForm, completeStepForm }: SetupGuideProps) {
  const [showSample, setShowSample] = useState(false);
  if (!data.onboarding) return null;
  const { sample, steps } = data.onboarding;
  const done = steps.filter((s) => s.done).length;
  const next = steps.find((s) => !s.done)?.key ?? null;
  const d = sample?.decision;
  const outcome = !d
    ? null
    : d.kind === "OFFER"
      ? `${d.summary.split("; ").pop() ?? ""}: worth ${formatMoney(d.faceValueMinor, data.currency)}, approval ${d.approval.toLowerCase()}.`
      : d.summary;

  const sampleToggle = sample ? (
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
  );

  return (
    <SectionCard
      title="Setup guide"
      description="Amends watches your orders, shipments and refunds, and makes good on failures with the offers of your compensation grid."
    >
      <BlockStack gap="100">
        <Text as="p" id="setup-progress">{`${done} of ${steps.length} done`}</Text>
        <ProgressBar
          progress={(done / steps.length) * 100}
          size="small"
          tone="primary"
          ariaLabelledBy="setup-progress"
        />
      </BlockStack>
      <BlockStack gap="300">
        {steps.map((step, i) => {
          const words = STEPS[step.key];
          const current = step.key === next;
          return (
            <Fragment key={step.key}>
              {i > 0 ? <Divider /> : null}
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Badge
                    tone={step.done ? "success" : undefined}
                    progress={step.done ? "complete" : "incomplete"}
                    toneAndProgressLabelOverride={step.done ? "Done:" : "To do:"}
                  />
                  <Text as="h3" variant="headingSm" tone={step.done ? "subdued" : undefined}>
                    {words.title}
                  </Text>
                </InlineStack>
                {step.done ? null : <Text as="p">{words.body}</Text>}
                {step.key === "grid" ? <Box>{sampleToggle}</Box> : null}
                {current ? (
                  <InlineStack gap="200" blockAlign="center">
                    <Button variant="primary" url={words.action.url}>
                      {words.action.content}
                    </Button>
                    {step.key === "defaults" || step.key === "grid"
                      ? completeStepForm(
                          step.key,
                          <Button submit variant="plain" accessibilityLabel={`Mark as done: ${words.title}`}>
                            Mark as done
                          </Button>,
                        )
                      : null}
                  </InlineStack>
                ) : null}
              </BlockStack>
            </Fragment>
          );
        })}
      </BlockStack>
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
      <InlineStack gap="200" blockAlign="center">
        {next === null ? (
          <>
            <Text as="p">Amends is set up and at work.</Text>
            {dismissForm(
              <Button variant="primary" submit>
                Hide the setup guide
              </Button>,
            )}
          </>
        ) : (
          dismissForm(
            <Button variant="plain" submit>
              Hide the setup guide
            </Button>,
          )
        )}
      </InlineStack>
    </SectionCard>
  );
}
