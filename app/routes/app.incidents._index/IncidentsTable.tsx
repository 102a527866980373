/** One row per incident: the order, what went wrong, severity, state, make-good, when, and who. */
import { useNavigate } from "@remix-run/react";
import { Badge, BlockStack, IndexTable, Link, Text, type IndexTableProps } from "@shopify/polaris";
import { formatWhen, OfferStatusBadge, SeverityBadge } from "../../components/IncidentBadges";
import { INCIDENT_TYPE_LABELS, labelOf } from "../../recovery/words";
import type { IncidentRow } from "../../services/incidents-view.server";

const HEADINGS: [{ title: string }, ...{ title: string }[]] = [
  { title: "Order" },
  { title: "Type" },
  { title: "Severity" },
  { title: "Status" },
  { title: "Make-good" },
  { title: "Detected" },
  { title: "Customer" },
];

/** The customer's name and email when Shopify gave them; else their id; a guest checkout has neither. */
function CustomerCell({ row }: { row: IncidentRow }) {
  if (!row.customerId)
    return (
      <Text as="span" tone="subdued">
        Guest
      </Text>
    );
  if (!row.customer) return <Text as="span">{`Customer ${row.customerId}`}</Text>;
  return (
    <BlockStack gap="050">
      <Text as="span">{row.customer.name ?? row.customer.email}</Text>
      {row.customer.name && row.customer.email ? (
        <Text as="span" tone="subdued" variant="bodySm">
          {row.customer.email}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export interface IncidentSelection {
  selectedResources: string[];
  allResourcesSelected: boolean;
  onSelectionChange: NonNullable<IndexTableProps["onSelectionChange"]>;
  /** Close and Retry, those the member may take; none: rows cannot be selected. */
  bulkActions: Array<{ content: string; onAction(): void; disabled?: boolean }>;
}

export function IncidentsTable({
  rows,
  timeZone,
  selection,
}: {
  rows: IncidentRow[];
  timeZone: string;
  selection: IncidentSelection;
}) {
  const navigate = useNavigate();
  const selectable = selection.bulkActions.length > 0;
  return (
    <IndexTable
      resourceName={{ singular: "incident", plural: "incidents" }}
      itemCount={rows.length}
      selectable={selectable}
      selectedItemsCount={selection.allResourcesSelected ? "All" : selection.selectedResources.length}
      onSelectionChange={selection.onSelectionChange}
      promotedBulkActions={selection.bulkActions}
      emptyState={
        <div style={{ padding: 24 }}>
          <Text as="p">No incidents match these filters. Clear a filter or the search to see more.</Text>
        </div>
      }
      headings={HEADINGS}
    >
      {rows.map((row, index) => (
        <IndexTable.Row
          id={row.id}
          key={row.id}
          position={index}
          selected={selection.selectedResources.includes(row.id)}
          onClick={() => navigate(`/app/incidents/${row.id}`)}
        >
          <IndexTable.Cell>
            <Link url={`/app/incidents/${row.id}`} dataPrimaryLink monochrome removeUnderline>
              <Text as="span" fontWeight="semibold">
                {row.orderName}
              </Text>
            </Link>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <BlockStack gap="050">
              <Text as="span">{labelOf(INCIDENT_TYPE_LABELS, row.type)}</Text>
              {row.what ? (
                <Text as="span" tone="subdued" variant="bodySm">
                  {row.what}
                </Text>
              ) : null}
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <SeverityBadge severity={row.severity} />
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Badge tone={row.standing.tone}>{row.standing.label}</Badge>
          </IndexTable.Cell>
          <IndexTable.Cell>
            {row.holdout ? (
              <Badge>Control group</Badge>
            ) : row.offer ? (
              <OfferStatusBadge status={row.offer.status} />
            ) : (
              <Text as="span" tone="subdued">
                None yet
              </Text>
            )}
          </IndexTable.Cell>
          <IndexTable.Cell>{formatWhen(row.detectedAt, timeZone)}</IndexTable.Cell>
          <IndexTable.Cell>
            <CustomerCell row={row} />
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
