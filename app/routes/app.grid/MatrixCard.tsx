/**
 * The severity × tier matrix of the chosen scope: the base grid, one incident type's overrides, or
 * one lifecycle stage's cells (decision 0115). One matrix at a time, never a wall of every scope:
 * the switcher names how many cells each scope sets, and a scope's cells can be reset at once.
 */
import { memo } from "react";
import { Button, InlineStack, Link, Select, Text } from "@shopify/polaris";
import { isStageScope, scopeAudience, type CellAddress, type GridScope } from "../../recovery/grid/cell-address";
import { LIFECYCLE_STAGE_LABELS, LIFECYCLE_STAGES } from "../../recovery/lifecycle/lifecycle";
import { GridMatrix, type MatrixDefinitions } from "../../components/grid/GridMatrix";
import { SectionCard } from "../../components/SectionCard";
import type { GridDraft } from "../../recovery/grid/editing";
import { INCIDENT_TYPES } from "../../recovery/vocabulary";
import { INCIDENT_TYPE_LABELS } from "../../recovery/words";
import { cellAt, overrideCount } from "./draft";
import { settingsHref } from "../../settings-form/pages";

const STAGE_HELP: Record<(typeof LIFECYCLE_STAGES)[number], string> = {
  FIRST_ORDER: "the order that went wrong is their first with the shop",
  RETURNING: "they ordered before, not long ago, and not often enough to be frequent buyers",
  LAPSED: "their previous order was longer ago than the lapse setting",
  FREQUENT: "they ordered at least as often as the frequent-buyer setting",
};

export const MatrixCard = memo(function MatrixCard(props: {
  draft: GridDraft;
  scope: GridScope;
  onScope(scope: GridScope): void;
  /** Remove every cell the scope sets itself: they follow the base grid again. */
  onResetScope(scope: GridScope): void;
  currency: string;
  variantTitles: Record<string, string>;
  cellErrors: Record<string, string>;
  /** What puts an incident in each row and a customer in each column (the classifiers' settings). */
  definitions: MatrixDefinitions & { raises: string };
  onEdit(address: CellAddress): void;
}) {
  const { draft, scope } = props;
  const count = (n: number) => (n > 0 ? ` (${n} overridden)` : "");
  const scopeOptions = [
    { title: "Base", options: [{ value: "BASE", label: "All incidents and customers (base grid)" }] },
    {
      title: "Incident type",
      options: INCIDENT_TYPES.map((type) => ({
        value: type,
        label: `${INCIDENT_TYPE_LABELS[type]}${count(overrideCount(draft, type))}`,
      })),
    },
    {
      title: "Customer lifecycle stage",
      options: LIFECYCLE_STAGES.map((stage) => ({
        value: stage,
        label: `${LIFECYCLE_STAGE_LABELS[stage]}${count(overrideCount(draft, stage))}`,
      })),
    },
  ];
  const own = overrideCount(draft, scope);
  return (
    <SectionCard
      section="fullWidth"
      title="Make-good by severity and customer"
      description="Each incident gets the make-good in the row of its severity and the column of the customer's value tier. Select a cell to change it. Guardrails (holdout, per-customer limits, the auto-approve ceiling, the monthly budget) still apply on top."
    >
      <Select
        label="Applies to"
        options={scopeOptions}
        value={scope}
        onChange={(value) => props.onScope(value as GridScope)}
        helpText={
          scope === "BASE"
            ? "The base grid applies to every incident and customer unless an incident type or a customer's lifecycle stage overrides a cell."
            : isStageScope(scope)
              ? `For ${scopeAudience(scope)}: ${STAGE_HELP[scope]}. Cells not overridden follow the base grid; an incident type's override still comes first. Guests have no stage.`
              : "Cells not overridden follow the base grid. Edit a cell to override it for this incident type only."
        }
      />
      {scope !== "BASE" ? (
        <InlineStack gap="300" blockAlign="center">
          <Text as="span" tone="subdued">
            {own > 0
              ? `${own} of 16 cells set for ${scopeAudience(scope)}; the rest are the same as the base grid.`
              : `Every cell is the same as the base grid for ${scopeAudience(scope)}.`}
          </Text>
          {own > 0 ? (
            <Button onClick={() => props.onResetScope(scope)} tone="critical" variant="plain">
              {`Reset ${isStageScope(scope) ? LIFECYCLE_STAGE_LABELS[scope].toLowerCase() : INCIDENT_TYPE_LABELS[scope].toLowerCase()} to the base grid`}
            </Button>
          ) : null}
        </InlineStack>
      ) : null}
      <GridMatrix
        scope={scope}
        cellAt={(severity, tier) => cellAt(draft, scope, severity, tier)}
        currency={props.currency}
        variantTitles={props.variantTitles}
        cellErrors={props.cellErrors}
        definitions={props.definitions}
        onEdit={props.onEdit}
      />
      <Text as="p" tone="subdued">
        {`${props.definitions.raises} Change the severities and tiers under `}
        <Link url={settingsHref("severity.lateFulfillment.minor")}>Settings, Severity</Link>
        {" and "}
        <Link url={settingsHref("tiers.newMaxEarlierOrders")}>Tiers</Link>.
      </Text>
    </SectionCard>
  );
});
