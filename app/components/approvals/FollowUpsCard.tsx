/**
 * Follow-ups due: 48-72 h after a make-good was issued, someone checks in with the customer. When no
 * Shopify Flow workflow sends the follow-up, it lands here; "Mark done" records who did it.
 */
import type { FollowUpRow } from "../../services/approval-queue.server";
import { formatDuration } from "./age";
import { ContactListCard } from "./ContactListCard";

export function FollowUpsCard({ followUps, now }: { followUps: FollowUpRow[]; now: Date }) {
  return (
    <ContactListCard
      title="Follow-ups due"
      description="Customers who received a make-good two or three days ago: check the problem is really fixed (a call, an email), then mark it done. Customers who already bought again are skipped."
      empty="No follow-ups due."
      resourceName={{ singular: "follow-up", plural: "follow-ups" }}
      headings={["Make-good", "Due"]}
      noCustomer="Guest checkout"
      done={{ intent: "followUpDone", idField: "eventId", button: "Mark done", badge: "Done" }}
      rows={followUps.map((f) => ({
        ...f,
        cells: [f.makeGood ?? "—", `due for ${formatDuration(now.getTime() - new Date(f.dueSince).getTime())}`],
      }))}
    />
  );
}
