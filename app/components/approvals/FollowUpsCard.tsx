/**
 * Follow-ups due: 48-72 h after a make-good was issued, someone checks in with the customer. When no
 * Shopify Flow workflow sends the follow-up, it lands here; "Mark done" records who did it.
 */
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, IndexTable, Text } from "@shopify/polaris";
import { useEffect } from "react";
import type { FollowUpRow } from "../../services/approval-queue.server";
import { useFeedback } from "../Feedback";
import { SectionCard } from "../SectionCard";
import { formatDuration } from "./age";

type Result =
  { ok: true; message: string } | { ok: false; error: string } | { ok: false; fieldErrors: Record<string, string> };

export function FollowUpsCard({ followUps, now }: { followUps: FollowUpRow[]; now: Date }) {
  return (
    <SectionCard
      flush
      title="Follow-ups due"
      description="Customers who received a make-good two or three days ago: check the problem is really fixed (a call, an email), then mark it done. Customers who already bought again are skipped."
    >
      {followUps.length === 0 ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p">No follow-ups due.</Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: "follow-up", plural: "follow-ups" }}
          itemCount={followUps.length}
          selectable={false}
          headings={[
            { title: "Order" },
            { title: "Customer" },
            { title: "Make-good" },
            { title: "Due" },
            { title: "Action", alignment: "end" },
          ]}
        >
          {followUps.map((f, i) => (
            <FollowUp key={f.id} followUp={f} position={i} now={now} />
          ))}
        </IndexTable>
      )}
    </SectionCard>
  );
}

function FollowUp({ followUp, position, now }: { followUp: FollowUpRow; position: number; now: Date }) {
  const fetcher = useFetcher<Result>({ key: `follow-up-${followUp.id}` });
  const { toast } = useFeedback();
  useEffect(() => {
    // The answer arrives while the page revalidates, before a decided row leaves the list.
    if (!fetcher.data) return;
    if (fetcher.data.ok) toast(fetcher.data.message);
    else
      toast("error" in fetcher.data ? fetcher.data.error : Object.values(fetcher.data.fieldErrors).join("; "), {
        error: true,
      });
    // Only when an answer arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data]);
  const done = fetcher.state !== "idle" || fetcher.data?.ok === true;
  return (
    <IndexTable.Row id={followUp.id} position={position}>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <RemixLink to={`/app/incidents/${followUp.incidentId}`}>{followUp.orderName}</RemixLink>
          <Text as="span">{followUp.typeLabel}</Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {followUp.customer ? (
          <a href={followUp.customer.adminUrl} target="_top" rel="noreferrer">
            {followUp.customer.label}
          </a>
        ) : (
          "Guest checkout"
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>{followUp.makeGood ?? "—"}</IndexTable.Cell>
      <IndexTable.Cell>{`due for ${formatDuration(now.getTime() - new Date(followUp.dueSince).getTime())}`}</IndexTable.Cell>
      <IndexTable.Cell>
        {done ? (
          <Badge tone="success">Done</Badge>
        ) : (
          <Button
            onClick={() => fetcher.submit({ intent: "followUpDone", eventId: followUp.id }, { method: "post" })}
            accessibilityLabel={`Mark done: the follow-up for ${followUp.orderName}`}
          >
            Mark done
          </Button>
        )}
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}
