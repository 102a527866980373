/** What went wrong, for whom and when, what Amends decided, and why. */
import { Divider, InlineGrid, List, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { SeverityBadge } from "../../components/IncidentBadges";
import { SectionCard } from "../../components/SectionCard";
import { DECISION_LABELS, labelOf } from "../../recovery/words";
import type { IncidentDetail } from "../../services/incidents-view.server";
import { AdminLink } from "./AdminLink";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <InlineGrid columns={{ xs: 1, sm: ["oneThird", "twoThirds"] }} gap="200">
      <Text as="dt" tone="subdued">
        {label}
      </Text>
      <dd style={{ margin: 0 }}>{children}</dd>
    </InlineGrid>
  );
}

export function SummaryCard({
  incident,
  typeLabel,
  shop,
  embedded,
  when,
}: {
  incident: IncidentDetail["incident"];
  typeLabel: string;
  shop: string;
  embedded: boolean;
  when(iso: string): string;
}) {
  return (
    <SectionCard title="Summary">
      <dl style={{ margin: 0, display: "grid", gap: "var(--p-space-200)" }}>
        <Row label="What went wrong">
          <Text as="span">
            {typeLabel}
            {incident.what ? `: ${incident.what}` : ""}
          </Text>
        </Row>
        {incident.note ? (
          <Row label="Staff note">
            <Text as="span">{incident.note}</Text>
          </Row>
        ) : null}
        <Row label="Severity">
          <SeverityBadge severity={incident.severity} />
        </Row>
        <Row label="Order">
          <AdminLink embedded={embedded} shop={shop} path={`orders/${incident.orderId}`}>
            {`${incident.orderName} in Shopify`}
          </AdminLink>
        </Row>
        <Row label="Customer">
          {incident.customerId ? (
            <AdminLink embedded={embedded} shop={shop} path={`customers/${incident.customerId}`}>
              {`Customer ${incident.customerId} in Shopify`}
            </AdminLink>
          ) : (
            <Text as="span">Guest checkout (no customer record)</Text>
          )}
        </Row>
        <Row label="Failure began">
          <Text as="span">{when(incident.occurredAt)}</Text>
        </Row>
        <Row label="Detected">
          <Text as="span">{when(incident.detectedAt)}</Text>
        </Row>
        {incident.closedAt ? (
          <Row label="Closed">
            <Text as="span">{when(incident.closedAt)}</Text>
          </Row>
        ) : null}
        <Row label="Decision">
          <Text as="span">{incident.decision ? labelOf(DECISION_LABELS, incident.decision) : "Not decided yet"}</Text>
        </Row>
      </dl>
      {incident.explanation.length > 0 ? (
        <>
          <Divider />
          <Text as="h3" variant="headingSm">
            Why Amends decided this
          </Text>
          <List type="bullet">
            {incident.explanation.map((line, i) => (
              <List.Item key={i}>{line}</List.Item>
            ))}
          </List>
        </>
      ) : null}
    </SectionCard>
  );
}
