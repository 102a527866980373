/** The severity × tier matrix of the chosen scope: the base grid, or one incident type's overrides. */
import { memo } from "react";
import { Select } from "@shopify/polaris";
import type { CellAddress, GridScope } from "../../components/grid/cell-address";
import { GridMatrix } from "../../components/grid/GridMatrix";
import { SectionCard } from "../../components/SectionCard";
import type { GridDraft } from "../../recovery/grid/editing";
import { INCIDENT_TYPES } from "../../recovery/vocabulary";
import { INCIDENT_TYPE_LABELS } from "../../recovery/words";
import { cellAt, overrideCount } from "./draft";

export const MatrixCard = memo(function MatrixCard(props: {
  draft: GridDraft;
  scope: GridScope;
  onScope(scope: GridScope): void;
  currency: string;
  variantTitles: Record<string, string>;
  cellErrors: Record<string, string>;
  onEdit(address: CellAddress): void;
}) {
  const { draft, scope } = props;
  const scopeOptions = [
    { value: "BASE", label: "All incident types (base grid)" },
    ...INCIDENT_TYPES.map((type) => {
      const n = overrideCount(draft, type);
      return { value: type, label: `${INCIDENT_TYPE_LABELS[type]}${n > 0 ? ` (${n} overridden)` : ""}` };
    }),
  ];
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
            ? "The base grid applies to every incident type unless a type overrides a cell."
            : "Cells not overridden follow the base grid. Edit a cell to override it for this incident type only."
        }
      />
      <GridMatrix
        scope={scope}
        cellAt={(severity, tier) => cellAt(draft, scope, severity, tier)}
        currency={props.currency}
        variantTitles={props.variantTitles}
        cellErrors={props.cellErrors}
        onEdit={props.onEdit}
      />
    </SectionCard>
  );
});
