/**
 * Retry issuing a make-good that failed to issue. One path wherever the button shows (the incident
 * page, the app home): it posts to the incident page's action (app/routes/app.incidents.$id), whose
 * checks (a signed-in member, the make-good belongs to this incident of this shop, it is still
 * FAILED, the month's budget) decide. Its own request, so the page stays put.
 */
import { useFetcher } from "@remix-run/react";
import { Button } from "@shopify/polaris";
import { useEffect } from "react";
import { useFeedback } from "./Feedback";

export interface RetryIssueButtonProps {
  incidentId: string;
  offerId: string;
  /** Names the make-good for screen readers where several buttons show ("Retry issuing: #1042"). */
  accessibilityLabel?: string;
}

export function RetryIssueButton({ incidentId, offerId, accessibilityLabel }: RetryIssueButtonProps) {
  const fetcher = useFetcher<{ ok: boolean; message: string }>({ key: `retry-issue-${offerId}` });
  const { toast } = useFeedback();
  // The answer arrives while the page revalidates, before a retried make-good leaves the list.
  useEffect(() => {
    if (fetcher.data) toast(fetcher.data.message, { error: !fetcher.data.ok });
    // Only when an answer arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data]);
  return (
    <fetcher.Form method="post" action={`/app/incidents/${incidentId}`}>
      <input type="hidden" name="intent" value="retryIssue" />
      <input type="hidden" name="offerId" value={offerId} />
      <Button submit loading={fetcher.state !== "idle"} accessibilityLabel={accessibilityLabel}>
        Retry issuing
      </Button>
    </fetcher.Form>
  );
}
