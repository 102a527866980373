/**
 * The severity × tier matrix of one scope (the base grid or one incident type). Each cell
 * reads as its make-good in words and opens the cell editor; a cell's problem shows right
 * under it. In an incident type's scope, overridden cells are marked and the others say they
 * follow the base grid.
 */
import { Badge, BlockStack, Button, DataTable, InlineError, Text } from "@shopify/polaris";
import { describeCellDraft, type CellDraft } from "../../recovery/grid/editing";
import { SEVERITIES, TIERS, type Severity, type Tier } from "../../recovery/vocabulary";
import { SEVERITY_LABELS, TIER_LABELS } from "../../recovery/words";
import { cellPath, cellTitle, type CellAddress, type GridScope } from "../../recovery/grid/cell-address";

export interface MatrixCell {
  cell: CellDraft;
  overridden: boolean;
}

interface Props {
  scope: GridScope;
  cellAt(severity: Severity, tier: Tier): MatrixCell;
  currency: string;
  variantTitles: Record<string, string>;
  /** The first problem of each cell, by its path prefix ("cells.major.VIP"). */
  cellErrors: Record<string, string>;
  onEdit(address: CellAddress): void;
}

export function GridMatrix({ scope, cellAt, currency, variantTitles, cellErrors, onEdit }: Props) {
  const rows = SEVERITIES.map((severity) => [
    <Text as="span" fontWeight="semibold" key="severity">
      {SEVERITY_LABELS[severity]}
    </Text>,
    ...TIERS.map((tier) => {
      const address = { scope, severity, tier };
      const { cell, overridden } = cellAt(severity, tier);
      const words = describeCellDraft(cell, currency, variantTitles[cell.variantId], variantTitles);
      const path = cellPath(address);
      const error = cellErrors[path];
      return (
        // Table cells do not wrap by default; a cell's words may be long.
        <div key={tier} style={{ whiteSpace: "normal", minWidth: "9rem" }}>
          <BlockStack gap="100" inlineAlign="start">
            <Button
              variant="plain"
              textAlign="start"
              onClick={() => onEdit(address)}
              accessibilityLabel={`Edit ${cellTitle(address)}: ${words}`}
            >
              {words}
            </Button>
            {scope !== "BASE" ? (
              overridden ? (
                <Badge tone="info">Override</Badge>
              ) : (
                <Text as="span" tone="subdued" variant="bodySm">
                  Follows base grid
                </Text>
              )
            ) : null}
            {error ? <InlineError message={error} fieldID={`cell-${path}`} /> : null}
          </BlockStack>
        </div>
      );
    }),
  ]);
  return (
    <DataTable
      columnContentTypes={["text", "text", "text", "text", "text"]}
      headings={["Severity", ...TIERS.map((t) => `${TIER_LABELS[t]} customer`)]}
      rows={rows}
      verticalAlign="top"
    />
  );
}
