/**
 * The severity × tier matrix of one scope (the base grid or one incident type). Its headers say
 * what each severity and tier means with the shop's thresholds (issue 17, item 6). Each cell
 * reads as its make-good in words and opens the cell editor; a cell's problem shows right
 * under it. In an incident type's scope, overridden cells are marked and the others say they
 * follow the base grid.
 */
import { Badge, BlockStack, Button, DataTable, InlineError, Text } from "@shopify/polaris";
import { describeCellDraft, type CellDraft } from "../../recovery/grid/editing";
import { SEVERITIES, TIERS, type Severity, type Tier } from "../../recovery/vocabulary";
import { SEVERITY_LABELS, TIER_LABELS } from "../../recovery/words";
import { cellPath, cellTitle, type CellAddress, type GridScope } from "../../recovery/grid/cell-address";

/** What puts an incident in each row and a customer in each column, in words (recovery/grid/definitions.ts). */
export interface MatrixDefinitions {
  severities: Record<Severity, string>;
  tiers: Record<Tier, string>;
}

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
  definitions: MatrixDefinitions;
  onEdit(address: CellAddress): void;
}

/** A header: the label, and under it what it means with the shop's thresholds. */
function Header({ label, definition }: { label: string; definition: string }) {
  return (
    // Table cells do not wrap by default; a definition is a sentence.
    <div style={{ whiteSpace: "normal", minWidth: "8rem" }}>
      <BlockStack gap="050">
        <Text as="span" fontWeight="semibold">
          {label}
        </Text>
        <Text as="span" variant="bodySm" tone="subdued" fontWeight="regular">
          {definition}
        </Text>
      </BlockStack>
    </div>
  );
}

export function GridMatrix({ scope, cellAt, currency, variantTitles, cellErrors, definitions, onEdit }: Props) {
  const rows = SEVERITIES.map((severity) => [
    <Header key="severity" label={SEVERITY_LABELS[severity]} definition={definitions.severities[severity]} />,
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
      headings={[
        "Severity",
        ...TIERS.map((t) => <Header key={t} label={`${TIER_LABELS[t]} customer`} definition={definitions.tiers[t]} />),
      ]}
      rows={rows}
      verticalAlign="top"
    />
  );
}
