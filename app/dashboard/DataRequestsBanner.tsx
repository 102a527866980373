/**
 * Customers asked (through Shopify) for the data Amends holds on them, and the exports wait for a
 * download: an export nobody downloads is deleted after 30 days and the request goes unanswered.
 * Says how many wait and when the first is deleted, and links to the Privacy requests page. Names
 * no customer (the dashboard is seen by every staff member).
 */
import { Banner, Text } from "@shopify/polaris";
import type { WaitingDataRequests } from "../services/privacy/exports.server";

export function DataRequestsBanner({ waiting, timeZone }: { waiting: WaitingDataRequests; timeZone: string }) {
  const expiry = new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium" }).format(
    new Date(waiting.earliestExpiry),
  );
  const one = waiting.count === 1;
  return (
    <Banner
      tone="warning"
      title={
        one
          ? "A customer data request is waiting for you"
          : `${waiting.count} customer data requests are waiting for you`
      }
      action={{ content: "Open Privacy requests", url: "/app/privacy" }}
    >
      <Text as="p">
        {one ? "A customer has" : "Customers have"} asked, through Shopify, for the data Amends holds on them. A manager
        or the store owner downloads each export from Privacy requests and sends it to the customer. An export nobody
        downloads is deleted after 30 days: {one ? "it is" : "the first is"} deleted on {expiry}.
      </Text>
    </Banner>
  );
}
