/**
 * A list of customers someone should get in touch with (a call, an email), each with a button that
 * records it done, with who, in the incident's timeline: the follow-ups due after a make-good and
 * the low ratings (decision 0117) are both this list with their own words and two columns of their own.
 */
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, IndexTable, Text } from "@shopify/polaris";
import { useEffect, type ReactNode } from "react";
import type { CustomerLink } from "../../services/approval-queue.server";
import { useFeedback } from "../Feedback";
import { SectionCard } from "../SectionCard";
import { CustomerLinkText } from "./CustomerLinkText";

type Result =
  { ok: true; message: string } | { ok: false; error: string } | { ok: false; fieldErrors: Record<string, string> };

export interface ContactRow {
  /** The row's key, and the id its done action posts. */
  id: string;
  incidentId: string;
  orderName: string;
  typeLabel: string;
  customer: CustomerLink | null;
  /** The list's own two columns (the make-good and since when it is due; the score and when rated). */
  cells: readonly [ReactNode, ReactNode];
}

export interface ContactListProps {
  title: string;
  description: string;
  /** What the card says when no one is waiting. */
  empty: string;
  resourceName: { singular: string; plural: string };
  /** The headings of the list's own two columns. */
  headings: readonly [string, string];
  /** What the customer column says when a row has no customer. */
  noCustomer: string;
  /** The done action: the form's intent and the field that carries the row's id, the button, the badge after. */
  done: { intent: string; idField: string; button: string; badge: string };
  rows: readonly ContactRow[];
}

export function ContactListCard(props: ContactListProps) {
  const { rows } = props;
  return (
    <SectionCard flush title={props.title} description={props.description}>
      {rows.length === 0 ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p">{props.empty}</Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={props.resourceName}
          itemCount={rows.length}
          selectable={false}
          headings={[
            { title: "Order" },
            { title: "Customer" },
            { title: props.headings[0] },
            { title: props.headings[1] },
            { title: "Action", alignment: "end" },
          ]}
        >
          {rows.map((row, position) => (
            <ContactListRow key={row.id} row={row} position={position} list={props} />
          ))}
        </IndexTable>
      )}
    </SectionCard>
  );
}

function ContactListRow({ row, position, list }: { row: ContactRow; position: number; list: ContactListProps }) {
  const fetcher = useFetcher<Result>({ key: `${list.done.intent}-${row.id}` });
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
  const { intent, idField, button, badge } = list.done;
  return (
    <IndexTable.Row id={row.id} position={position}>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <RemixLink to={`/app/incidents/${row.incidentId}`}>{row.orderName}</RemixLink>
          <Text as="span">{row.typeLabel}</Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <CustomerLinkText customer={row.customer} none={list.noCustomer} />
      </IndexTable.Cell>
      <IndexTable.Cell>{row.cells[0]}</IndexTable.Cell>
      <IndexTable.Cell>{row.cells[1]}</IndexTable.Cell>
      <IndexTable.Cell>
        {done ? (
          <Badge tone="success">{badge}</Badge>
        ) : (
          <Button
            onClick={() => fetcher.submit({ intent, [idField]: row.id }, { method: "post" })}
            accessibilityLabel={`${button}: the ${list.resourceName.singular} for ${row.orderName}`}
          >
            {button}
          </Button>
        )}
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}
