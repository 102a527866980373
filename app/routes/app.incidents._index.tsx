import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Card,
  EmptyState,
  Filters,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Pagination,
  Select,
  Text,
  type FilterInterface,
} from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { choiceFilter } from "../components/choiceFilter";
import { incidentIndex } from "../services/incidents-view.server";
import {
  INCIDENT_TYPE_VALUES,
  OFFER_STATUS_VALUES,
  SEVERITY_VALUES,
  SORTS,
  SORT_VALUES,
  STATE_VALUES,
  type IncidentSort,
} from "../services/incidents-view/query";
import { INCIDENT_TYPE_LABELS, OFFER_STATUS_LABELS } from "../services/incidents-view/timeline";
import { staffContext } from "../staff.server";
import { formatWhen, OfferStatusBadge, SeverityBadge, StateBadge } from "../components/IncidentBadges";

export const meta: MetaFunction = () => [{ title: "Incidents · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await staffContext(request);
  return incidentIndex(shop, new URL(request.url).searchParams);
};

const OFFER_PRESENCE = [
  { label: "Has a make-good", value: "with" },
  { label: "No make-good", value: "without" },
  { label: "Control group (holdout)", value: "holdout" },
];

const SEVERITY_LABELS: Record<string, string> = {
  minor: "Minor",
  moderate: "Moderate",
  major: "Major",
  critical: "Critical",
};
const STATE_LABELS: Record<string, string> = { OPEN: "Open", CLOSED: "Closed" };

// The filters a URL parameter holds; changing any of them goes back to the first page.
const LIST_KEYS = ["type", "severity", "state", "offerStatus"] as const;

export default function IncidentsIndex() {
  const { rows, page, anyIncidents, query, timeZone } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [search, setSearch] = useState(query.q);
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);

  const update = useCallback(
    (change: (next: URLSearchParams) => void) => {
      const next = new URLSearchParams(params);
      next.delete("after");
      next.delete("before");
      change(next);
      setParams(next, { replace: true, preventScrollReset: true });
    },
    [params, setParams],
  );
  const setList = (key: (typeof LIST_KEYS)[number], values: string[]) =>
    update((next) => {
      next.delete(key);
      for (const value of values) next.append(key, value);
    });

  useEffect(() => setSearch(query.q), [query.q]);
  useEffect(
    () => () => {
      if (typing.current) clearTimeout(typing.current);
    },
    [],
  );
  const onSearch = (value: string) => {
    setSearch(value);
    if (typing.current) clearTimeout(typing.current);
    // Search as the user types, once they pause.
    typing.current = setTimeout(
      () => update((next) => (value.trim() ? next.set("q", value.trim()) : next.delete("q"))),
      350,
    );
  };

  const labelled = (values: readonly string[], labels: Record<string, string>) =>
    values.map((value) => ({ label: labels[value] ?? value, value }));
  const filters: FilterInterface[] = [
    choiceFilter({
      key: "type",
      label: "Type",
      pinned: true,
      choices: labelled(INCIDENT_TYPE_VALUES, INCIDENT_TYPE_LABELS),
      selected: query.types,
      onChange: (values) => setList("type", values),
    }),
    choiceFilter({
      key: "severity",
      label: "Severity",
      pinned: true,
      choices: labelled(SEVERITY_VALUES, SEVERITY_LABELS),
      selected: query.severities,
      onChange: (values) => setList("severity", values),
    }),
    choiceFilter({
      key: "state",
      label: "State",
      pinned: true,
      choices: labelled(STATE_VALUES, STATE_LABELS),
      selected: query.states,
      onChange: (values) => setList("state", values),
    }),
    choiceFilter({
      key: "offer",
      label: "Make-good",
      pinned: true,
      allowMultiple: false,
      choices: OFFER_PRESENCE,
      selected: query.offer ? [query.offer] : [],
      onChange: ([value]) => update((next) => (value ? next.set("offer", value) : next.delete("offer"))),
    }),
    choiceFilter({
      key: "offerStatus",
      label: "Make-good status",
      choices: labelled(OFFER_STATUS_VALUES, OFFER_STATUS_LABELS),
      selected: query.offerStatuses,
      onChange: (values) => setList("offerStatus", values),
    }),
  ];

  const applied = [
    ...(query.types.length
      ? [
          {
            key: "type",
            label: `Type: ${query.types.map((t) => INCIDENT_TYPE_LABELS[t] ?? t).join(", ")}`,
            onRemove: () => setList("type", []),
          },
        ]
      : []),
    ...(query.severities.length
      ? [
          {
            key: "severity",
            label: `Severity: ${query.severities.map((s) => SEVERITY_LABELS[s] ?? s).join(", ")}`,
            onRemove: () => setList("severity", []),
          },
        ]
      : []),
    ...(query.states.length
      ? [
          {
            key: "state",
            label: `State: ${query.states.map((s) => STATE_LABELS[s] ?? s).join(", ")}`,
            onRemove: () => setList("state", []),
          },
        ]
      : []),
    ...(query.offer
      ? [
          {
            key: "offer",
            label: `Make-good: ${OFFER_PRESENCE.find((o) => o.value === query.offer)?.label ?? query.offer}`,
            onRemove: () => update((next) => next.delete("offer")),
          },
        ]
      : []),
    ...(query.offerStatuses.length
      ? [
          {
            key: "offerStatus",
            label: `Make-good status: ${query.offerStatuses.map((s) => OFFER_STATUS_LABELS[s] ?? s).join(", ")}`,
            onRemove: () => setList("offerStatus", []),
          },
        ]
      : []),
  ];

  const openIncident = { content: "Open incident", url: "/app/incidents/new" };

  if (!anyIncidents) {
    return (
      <Page title="Incidents" primaryAction={openIncident}>
        <TitleBar title="Incidents" />
        <Card>
          <EmptyState
            heading="No incidents yet"
            action={{ content: "Open incident", url: "/app/incidents/new" }}
            secondaryAction={{
              content: "Review detection settings",
              url: "/app/settings",
            }}
            image={EMPTY_IMAGE}
          >
            <p>
              An incident is a time your store let a customer down: an order late to ship, a delayed or failed delivery,
              a refund, or an order the store cancelled. Amends opens them automatically from your store's orders,
              shipments and refunds, and decides a make-good from your compensation grid.
            </p>
            <p>
              If a customer complains by mail, phone or chat about something Amends cannot see (a damaged or wrong
              item), open an incident yourself.
            </p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  const pageLink = (cursor: { after?: string | null; before?: string | null }) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    if (cursor.after) next.set("after", cursor.after);
    if (cursor.before) next.set("before", cursor.before);
    return `?${next.toString()}`;
  };

  return (
    <Page
      title="Incidents"
      subtitle="Service failures Amends detected or staff reported, and what was done about them"
      primaryAction={openIncident}
    >
      <TitleBar title="Incidents" />
      <BlockStack gap="300">
        <Card padding="0">
          <Filters
            queryValue={search}
            queryPlaceholder="Search by order name (#1001) or customer id"
            onQueryChange={onSearch}
            onQueryClear={() => onSearch("")}
            filters={filters}
            appliedFilters={applied}
            onClearAll={() =>
              update((next) => {
                for (const key of [...LIST_KEYS, "offer", "q"]) next.delete(key);
              })
            }
          >
            <div style={{ minWidth: 240 }}>
              <Select
                label="Sort by"
                labelInline
                options={SORT_VALUES.map((value) => ({
                  label: SORTS[value],
                  value,
                }))}
                value={query.sort}
                onChange={(value: string) =>
                  update((next) =>
                    value === "detected-desc" ? next.delete("sort") : next.set("sort", value as IncidentSort),
                  )
                }
              />
            </div>
          </Filters>
          <div style={{ padding: "0 12px 8px" }}>
            <Text as="p" tone="subdued" variant="bodySm">
              Search finds an order by its name (#1001 or 1001) or a customer by their Shopify id (the number at the end
              of the customer's address in your admin). Amends does not store customer names or emails, so it cannot
              search by them.
            </Text>
          </div>
          <IndexTable
            resourceName={{ singular: "incident", plural: "incidents" }}
            itemCount={rows.length}
            selectable={false}
            emptyState={
              <div style={{ padding: 24 }}>
                <Text as="p">No incidents match these filters. Clear a filter or the search to see more.</Text>
              </div>
            }
            headings={[
              { title: "Order" },
              { title: "Type" },
              { title: "Severity" },
              { title: "State" },
              { title: "Make-good" },
              { title: "Detected" },
              { title: "Customer" },
            ]}
          >
            {rows.map((row, index) => (
              <IndexTable.Row
                id={row.id}
                key={row.id}
                position={index}
                onClick={() => navigate(`/app/incidents/${row.id}`)}
              >
                <IndexTable.Cell>
                  <Link url={`/app/incidents/${row.id}`} dataPrimaryLink monochrome removeUnderline>
                    <Text as="span" fontWeight="semibold">
                      {row.orderName}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <Text as="span">{INCIDENT_TYPE_LABELS[row.type] ?? row.type}</Text>
                    {row.what ? (
                      <Text as="span" tone="subdued" variant="bodySm">
                        {row.what}
                      </Text>
                    ) : null}
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <SeverityBadge severity={row.severity} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <StateBadge state={row.state} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {row.holdout ? (
                    <Badge>Control group</Badge>
                  ) : row.offer ? (
                    <OfferStatusBadge status={row.offer.status} />
                  ) : (
                    <Text as="span" tone="subdued">
                      None yet
                    </Text>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>{formatWhen(row.detectedAt, timeZone)}</IndexTable.Cell>
                <IndexTable.Cell>
                  {row.customerId ?? (
                    <Text as="span" tone="subdued">
                      Guest
                    </Text>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
        {page.hasNext || page.hasPrevious ? (
          <InlineStack align="center">
            <Pagination
              hasPrevious={page.hasPrevious}
              previousURL={
                page.hasPrevious && page.previousCursor ? pageLink({ before: page.previousCursor }) : undefined
              }
              hasNext={page.hasNext}
              nextURL={page.hasNext && page.nextCursor ? pageLink({ after: page.nextCursor }) : undefined}
              accessibilityLabels={{
                previous: "Previous page of incidents",
                next: "Next page of incidents",
              }}
            />
          </InlineStack>
        ) : null}
      </BlockStack>
    </Page>
  );
}

const EMPTY_IMAGE =
  "data:image/svg+xml;utf8," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 226 226"><circle cx="113" cy="113" r="100" fill="#f1f1f1"/><path d="M70 120l30 30 56-70" stroke="#8a8a8a" stroke-width="12" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  );
