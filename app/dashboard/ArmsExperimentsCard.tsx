/**
 * Which make-good works (decision 0119): each experiment with arms in a grid cell, its latest
 * readout (each arm against the holdout and the arms against each other, by intent to treat, with
 * the experiment's 95% intervals), and, when one arm is clearly better, the proposal to make it the
 * cell's only make-good. The merchant decides: the button saves a new grid version. Below it, what
 * each arm's customers said of their recovery (CSAT, decision 0117), held-out customers apart.
 */
import { Banner, BlockStack, Button, DataTable, Text } from "@shopify/polaris";
import { useEffect, useRef, type ReactNode } from "react";
import { SectionCard } from "../components/SectionCard";
import type { Dashboard } from "../services/dashboard.server";
import { MIN_RESPONSES, type CsatGroup } from "../recovery/ratings/csat";
import { interval, moneyIn, percent, points } from "./figures";
import { cellsInWords } from "../recovery/grid/cell-address";

type ArmsCardData = Dashboard["armsExperiments"][number];

const average = (g: CsatGroup) => (g.average === null ? "–" : `${g.average.toFixed(1)} / 5`);

/** Each arm's ratings: responses, average, share 4-5; a group under MIN_RESPONSES is too few to read. */
function ArmsCsatTable({ csat }: { csat: ArmsCardData["csat"] }) {
  const responses = csat.arms.reduce((n, g) => n + g.responses, 0);
  if (responses === 0 && !csat.heldOut)
    return (
      <Text as="p" tone="subdued" variant="bodySm">
        No ratings from this experiment&apos;s customers yet: satisfaction (CSAT) per arm shows here once they rate
        their recovery from the follow-up.
      </Text>
    );
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        Satisfaction per arm
      </Text>
      <KeyboardScrollable label={`Satisfaction per arm: ${csat.arms.map((g) => g.label).join(", ")}`}>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={["Arm", "Responses", "Average", "Satisfied (4-5)"]}
          rows={csat.arms.map((g) => [
            g.small ? `${g.label} (too few to read)` : g.label,
            String(g.responses),
            g.small ? "–" : average(g),
            g.small ? "–" : percent(g.satisfiedShare),
          ])}
        />
      </KeyboardScrollable>
      <Text as="p" tone="subdued" variant="bodySm">
        {`An arm with fewer than ${MIN_RESPONSES} responses is too few to read.${
          csat.heldOut
            ? ` Customers held out (no make-good) gave ${csat.heldOut.responses} ${csat.heldOut.responses === 1 ? "rating" : "ratings"}${csat.heldOut.small ? " (too few to read)" : `: ${average(csat.heldOut)}, ${percent(csat.heldOut.satisfiedShare)} satisfied`}; they are not counted in the arms.`
            : ""
        }`}
      </Text>
    </BlockStack>
  );
}

/** An arm's name over what it gives, in one column so the figures fit beside it. */
function ArmCell({ name, gives }: { name: string; gives: string | null }) {
  return (
    <BlockStack gap="050">
      <Text as="span" fontWeight="semibold">
        {name}
      </Text>
      {gives ? (
        <Text as="span" tone="subdued">
          {gives}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/**
 * A DataTable too wide for its card scrolls sideways inside Polaris's scroll container, which no
 * keyboard can reach when the table holds no link or button (axe: scrollable-region-focusable).
 * Polaris offers no prop for it, so once mounted the container becomes a named region in the tab
 * order: a keyboard user focuses it and scrolls it with the arrow keys.
 */
function KeyboardScrollable({ label, children }: { label: string; children: ReactNode }) {
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = wrapper.current?.querySelector<HTMLElement>(".Polaris-DataTable__ScrollContainer");
    if (!container) return;
    container.tabIndex = 0;
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", label);
  }, [label]);
  return <div ref={wrapper}>{children}</div>;
}

const TONE = { WINNER: "success", NO_CLEAR_WINNER: "info", TOO_FEW: "warning" } as const;

function Experiment({
  experiment,
  currency,
  adoptForm,
}: {
  experiment: ArmsCardData;
  currency: string;
  adoptForm?: ((experimentKey: string, arm: number, button: ReactNode) => ReactNode) | undefined;
}) {
  const money = moneyIn(currency);
  const { latest, proposal } = experiment;
  const names = experiment.arms.map((a) => a.name).join(", ");
  const where =
    experiment.cells.length > 0
      ? `Runs in ${cellsInWords(experiment.cells)}.`
      : "Ended: the cell's arms were changed or removed. Its readouts stay here.";
  return (
    <BlockStack gap="300">
      <Text as="p" tone="subdued">
        {`${where} ${latest ? `Readout ${latest.round} of ${experiment.readouts}.` : ""}`}
      </Text>
      {latest ? (
        <KeyboardScrollable label={`Readout ${latest.round} of ${names}`}>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
            headings={[
              "Arm and make-good",
              "Ordered again",
              "Against the holdout",
              "Revenue / incident",
              "Cost / incident",
              "Net / incident",
            ]}
            rows={[
              ...latest.arms.map((arm) => [
                <ArmCell
                  key={arm.index}
                  name={experiment.arms[arm.index]?.name ?? `Arm ${arm.letter}`}
                  gives={experiment.arms[arm.index]?.gives ?? null}
                />,
                `${percent(arm.rate)} of ${arm.incidents} (${interval(arm.interval)})`,
                arm.lift
                  ? `${points(arm.lift.difference)} (${points(arm.lift.low)} to ${points(arm.lift.high)})`
                  : "Too few",
                money(arm.revenuePerIncident),
                money(arm.costPerIncident),
                money(arm.netPerIncident),
              ]),
              ...(latest.holdout
                ? [
                    [
                      <ArmCell key="held-out" name="Held out" gives="No make-good" />,
                      `${percent(latest.holdout.rate)} of ${latest.holdout.incidents} (${interval(latest.holdout.interval)})`,
                      "–",
                      money(latest.holdout.revenuePerIncident),
                      money(0),
                      money(latest.holdout.revenuePerIncident),
                    ],
                  ]
                : []),
            ]}
          />
        </KeyboardScrollable>
      ) : null}
      {latest ? (
        <Text as="p" tone="subdued" variant="bodySm">
          Cost is the store credit, gift cards and free products customers used. A discount code costs nothing here: its
          discount already lowered the revenue of the order it was used on.
        </Text>
      ) : null}
      <Banner tone={latest ? TONE[latest.verdict] : "info"}>
        <p>{experiment.sentence}</p>
      </Banner>
      {proposal && adoptForm
        ? adoptForm(
            experiment.experimentKey,
            proposal.arm,
            <Button submit variant="primary">
              {proposal.text}
            </Button>,
          )
        : null}
      <ArmsCsatTable csat={experiment.csat} />
    </BlockStack>
  );
}

export function ArmsExperimentsCard({
  experiments,
  currency,
  adoptForm,
}: {
  experiments: readonly ArmsCardData[];
  currency: string;
  adoptForm?: (experimentKey: string, arm: number, button: ReactNode) => ReactNode;
}) {
  return (
    <SectionCard
      section="fullWidth"
      title="Which make-good works?"
      description="Grid cells with arms give each customer one of their make-goods at random, and keep it for that customer. Each arm is compared with the held-out customers and with the other arms, whatever happened to the offer afterwards; an arm is called better only when its 95% interval against every other arm is above zero."
    >
      {experiments.map((e) => (
        <Experiment key={e.experimentKey} experiment={e} currency={currency} adoptForm={adoptForm} />
      ))}
    </SectionCard>
  );
}
