/**
 * Low ratings (decision 0117): customers who rated how the store put things right 1 or 2 out of 5.
 * Someone gets in touch (a call, an email), then marks it followed up; that is recorded in the
 * incident's timeline with who did it.
 */
import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, IndexTable, Text } from "@shopify/polaris";
import { useEffect } from "react";
import type { LowRatingRow } from "../../services/ratings/ratings.server";
import { useFeedback } from "../Feedback";
import { SectionCard } from "../SectionCard";
import { formatDuration } from "./age";

type Result =
  { ok: true; message: string } | { ok: false; error: string } | { ok: false; fieldErrors: Record<string, string> };

export function LowRatingsCard({ lowRatings, now }: { lowRatings: LowRatingRow[]; now: Date }) {
  return (
    <SectionCard
      flush
      title="Low ratings to follow up"
      description="Customers who rated the recovery 1 or 2 out of 5 from the link in their follow-up. Get in touch to find out what is still wrong, then mark it followed up."
    >
      {lowRatings.length === 0 ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p">No low ratings waiting.</Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: "low rating", plural: "low ratings" }}
          itemCount={lowRatings.length}
          selectable={false}
          headings={[
            { title: "Order" },
            { title: "Customer" },
            { title: "Rating" },
            { title: "Rated" },
            { title: "Action", alignment: "end" },
          ]}
        >
          {lowRatings.map((r, i) => (
            <LowRating key={r.ratingId} rating={r} position={i} now={now} />
          ))}
        </IndexTable>
      )}
    </SectionCard>
  );
}

function LowRating({ rating, position, now }: { rating: LowRatingRow; position: number; now: Date }) {
  const fetcher = useFetcher<Result>({ key: `low-rating-${rating.ratingId}` });
  const { toast } = useFeedback();
  useEffect(() => {
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
    <IndexTable.Row id={rating.ratingId} position={position}>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <RemixLink to={`/app/incidents/${rating.incidentId}`}>{rating.orderName}</RemixLink>
          <Text as="span">{rating.typeLabel}</Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {rating.customer ? (
          <a href={rating.customer.adminUrl} target="_top" rel="noreferrer">
            {rating.customer.label}
          </a>
        ) : (
          "Customer erased"
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone="critical">{`${rating.score} of 5`}</Badge>
      </IndexTable.Cell>
      <IndexTable.Cell>{`${formatDuration(now.getTime() - new Date(rating.ratedAt).getTime())} ago`}</IndexTable.Cell>
      <IndexTable.Cell>
        {done ? (
          <Badge tone="success">Followed up</Badge>
        ) : (
          <Button
            onClick={() => fetcher.submit({ intent: "lowRatingDone", ratingId: rating.ratingId }, { method: "post" })}
            accessibilityLabel={`Mark followed up: the low rating for ${rating.orderName}`}
          >
            Mark followed up
          </Button>
        )}
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}
