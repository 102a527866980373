/**
 * Make-goods that failed to issue (a gift out of stock, a scope the shop took back, a refusal from
 * Shopify): the customer is still waiting, and only a person can fix the cause and press Retry on
 * the incident page. Newest failure first; the loader caps the rows and gives the total.
 */
import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, Box, IndexTable, Text } from "@shopify/polaris";
import type { FailedMakeGoods } from "../../services/approval-queue.server";
import { SectionCard } from "../SectionCard";
import { formatDuration } from "./age";
import { CustomerLinkText } from "./CustomerLinkText";

export function FailedMakeGoodsCard({ failed, now }: { failed: FailedMakeGoods; now: Date }) {
  const { rows, total } = failed;
  return (
    <SectionCard
      flush
      title="Make-goods that failed to issue"
      titleAside={total > 0 ? <Badge tone="critical">{`${total} failed`}</Badge> : undefined}
      description="The customer was promised these but Shopify did not make them. Fix the cause (restock the gift, grant the access, raise the budget), then open the incident and press Retry issuing."
    >
      {rows.length === 0 ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p">No make-good is waiting for a retry.</Text>
        </Box>
      ) : (
        <BlockStack>
          <IndexTable
            resourceName={{ singular: "failed make-good", plural: "failed make-goods" }}
            itemCount={rows.length}
            selectable={false}
            headings={[
              { title: "Order" },
              { title: "Customer" },
              { title: "Make-good" },
              { title: "Why it failed" },
              { title: "Failed" },
              { title: "Action", alignment: "end" },
            ]}
          >
            {rows.map((row, position) => (
              <IndexTable.Row id={row.offerId} key={row.offerId} position={position}>
                <IndexTable.Cell>
                  <BlockStack gap="100">
                    <Text as="span" fontWeight="semibold">
                      {row.orderName}
                    </Text>
                    <Text as="span">{row.typeLabel}</Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <CustomerLinkText customer={row.customer} none="Guest checkout" />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <BlockStack gap="100">
                    <Text as="span">{row.kindLabel}</Text>
                    <Text as="span" tone="subdued">{`${row.makeGood} · ${row.value}`}</Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ whiteSpace: "normal", maxWidth: "28rem" }}>
                    <Text as="span" tone="critical">
                      {row.error}
                    </Text>
                  </div>
                </IndexTable.Cell>
                <IndexTable.Cell>{`${formatDuration(now.getTime() - new Date(row.failedAt).getTime())} ago`}</IndexTable.Cell>
                <IndexTable.Cell>
                  <RemixLink
                    to={`/app/incidents/${row.incidentId}`}
                    aria-label={`Open to retry: the incident of ${row.orderName}`}
                  >
                    Open to retry
                  </RemixLink>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          {total > rows.length ? (
            <Box padding="400">
              <Text as="p" tone="subdued">
                {`Showing the ${rows.length} newest of ${total} failed make-goods. Retrying these brings the older ones into view.`}
              </Text>
            </Box>
          ) : null}
        </BlockStack>
      )}
    </SectionCard>
  );
}
