/** The index of a shop without incidents: what an incident is, and how one gets reported. */
import { Card, EmptyState } from "@shopify/polaris";

const EMPTY_IMAGE =
  "data:image/svg+xml;utf8," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 226 226"><circle cx="113" cy="113" r="100" fill="#f1f1f1"/><path d="M70 120l30 30 56-70" stroke="#8a8a8a" stroke-width="12" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  );

export function NoIncidents() {
  return (
    <Card>
      <EmptyState
        heading="No incidents yet"
        action={{ content: "Report incident", url: "/app/incidents/new" }}
        secondaryAction={{
          content: "Review detection settings",
          url: "/app/settings/detection",
        }}
        image={EMPTY_IMAGE}
      >
        <p>
          An incident is a time your store let a customer down: an order late to ship, a delayed or failed delivery, a
          refund, or an order the store cancelled. Amends opens them automatically from your store's orders, shipments
          and refunds, and decides a make-good from your compensation grid.
        </p>
        <p>
          If a customer complains by mail, phone or chat about something Amends cannot see (a damaged or wrong item),
          report an incident yourself.
        </p>
      </EmptyState>
    </Card>
  );
}
