/**
 * Low ratings (decision 0117): customers who rated how the store put things right 1 or 2 out of 5.
 * Someone gets in touch (a call, an email), then marks it followed up; that is recorded in the
 * incident's timeline with who did it.
 */
import { Badge } from "@shopify/polaris";
import type { LowRatingRow } from "../../services/ratings/ratings.server";
import { formatDuration } from "./age";
import { ContactListCard } from "./ContactListCard";

export function LowRatingsCard({ lowRatings, now }: { lowRatings: LowRatingRow[]; now: Date }) {
  return (
    <ContactListCard
      title="Low ratings to follow up"
      description="Customers who rated the recovery 1 or 2 out of 5 from the link in their follow-up. Get in touch to find out what is still wrong, then mark it followed up."
      empty="No low ratings waiting."
      resourceName={{ singular: "low rating", plural: "low ratings" }}
      headings={["Rating", "Rated"]}
      noCustomer="Customer erased"
      done={{ intent: "lowRatingDone", idField: "ratingId", button: "Mark followed up", badge: "Followed up" }}
      rows={lowRatings.map((r) => ({
        ...r,
        id: r.ratingId,
        cells: [
          <Badge key="score" tone="critical">{`${r.score} of 5`}</Badge>,
          `${formatDuration(now.getTime() - new Date(r.ratedAt).getTime())} ago`,
        ],
      }))}
    />
  );
}
