/** What went wrong, for whom and when, what Amends decided, and why. */
import { Link as RemixLink } from "@remix-run/react";
import { BlockStack, Box, Divider, Icon, InlineGrid, InlineStack, List, Text } from "@shopify/polaris";
import { CheckIcon, InfoIcon, XIcon } from "@shopify/polaris-icons";
import type { ReactNode } from "react";
import type { ChecklistItem } from "../../recovery/decide/checklist";
import { SeverityBadge } from "../../components/IncidentBadges";
import { SectionCard } from "../../components/SectionCard";
import { DECISION_LABELS, labelOf } from "../../recovery/words";
import type { CustomerIdentity } from "../../services/customer-identity.server";
import type { DecisionWhyView, IncidentDetail } from "../../services/incidents-view.server";
import { AdminLink } from "./AdminLink";
import { whyNoCustomerNames } from "../../components/customer-names";

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

const ICONS: Record<
  ChecklistItem["status"],
  { source: typeof CheckIcon; tone: "success" | "critical" | "subdued"; label: string }
> = {
  PASS: { source: CheckIcon, tone: "success", label: "Passed" },
  FAIL: { source: XIcon, tone: "critical", label: "Not passed" },
  NOTE: { source: InfoIcon, tone: "subdued", label: "Note" },
};

function CheckRow({ item }: { item: ChecklistItem }) {
  const icon = ICONS[item.status];
  return (
    <li data-check={item.key} data-status={item.status}>
      <InlineStack gap="200" wrap={false} blockAlign="start">
        <Box>
          <Icon source={icon.source} tone={icon.tone} accessibilityLabel={icon.label} />
        </Box>
        <Text as="span">
          {item.cell ? (
            <>
              Grid cell <RemixLink to="/app/grid">{item.cell.title}</RemixLink>: {item.text}
            </>
          ) : (
            item.text
          )}
        </Text>
      </InlineStack>
    </li>
  );
}

/** The decision as a checklist, its raw figures behind "Details"; an older decision's lines as they were stored. */
function WhyAmends({ why }: { why: NonNullable<DecisionWhyView> }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Why Amends decided this
      </Text>
      {why.kind === "LINES" ? (
        <List type="bullet">
          {why.lines.map((line, i) => (
            <List.Item key={i}>{line}</List.Item>
          ))}
        </List>
      ) : (
        <>
          <ul
            aria-label="Checks Amends made"
            style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: "var(--p-space-150)" }}
          >
            {why.checklist.items.map((item) => (
              <CheckRow key={item.key} item={item} />
            ))}
          </ul>
          {why.checklist.details.length > 0 ? (
            <details>
              <summary style={{ cursor: "pointer" }}>
                <Text as="span" fontWeight="medium">
                  Details
                </Text>
              </summary>
              <Box paddingBlockStart="200">
                <dl style={{ margin: 0, display: "grid", gap: "var(--p-space-100)" }}>
                  {why.checklist.details.map((d) => (
                    <Row key={d.label} label={d.label}>
                      <Text as="span">{d.value}</Text>
                    </Row>
                  ))}
                </dl>
              </Box>
            </details>
          ) : null}
        </>
      )}
    </BlockStack>
  );
}

export function SummaryCard({
  incident,
  customer,
  customerNamesMissing,
  why,
  typeLabel,
  shop,
  embedded,
  when,
}: {
  incident: IncidentDetail["incident"];
  /** Read live from Shopify, never stored; null: the id stands in. */
  customer: CustomerIdentity | null;
  customerNamesMissing: string | null;
  why: DecisionWhyView;
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
            <BlockStack gap="050">
              {customer?.name ? <Text as="span">{customer.name}</Text> : null}
              {customer?.email ? <Text as="span">{customer.email}</Text> : null}
              <AdminLink embedded={embedded} shop={shop} path={`customers/${incident.customerId}`}>
                {`Customer ${incident.customerId} in Shopify`}
              </AdminLink>
              {!customer && customerNamesMissing ? (
                <Text as="span" tone="subdued" variant="bodySm">
                  {whyNoCustomerNames(customerNamesMissing)}
                </Text>
              ) : null}
            </BlockStack>
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
      {why ? (
        <>
          <Divider />
          <WhyAmends why={why} />
        </>
      ) : null}
    </SectionCard>
  );
}
