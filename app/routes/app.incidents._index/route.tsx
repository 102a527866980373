/** The incidents index: every incident of the shop, filtered, searched and sorted through the URL. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Card, Filters, InlineStack, Page, Pagination, Select, Text } from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { incidentIndex } from "../../services/incidents-view.server";
import { interactiveAdmin } from "../../shopify/admin.server";
import { SORTS, SORT_VALUES, type IncidentSort } from "../../services/incidents-view/query";
import { staffContext } from "../../staff.server";
import { FILTER_KEYS, incidentFilters } from "./filters";
import { IncidentsTable } from "./IncidentsTable";
import { NoIncidents } from "./NoIncidents";

export const meta: MetaFunction = () => [{ title: "Incidents · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin } = await staffContext(request);
  // The admin client names the product of a root cause filter (?cause=product:123).
  return incidentIndex(shop, new URL(request.url).searchParams, { admin: interactiveAdmin(admin.admin, shop) });
};

const REPORT_INCIDENT = { content: "Report incident", url: "/app/incidents/new" };

type Refusal = "PROTECTED_DATA" | "ACCESS";

function searchProblemTitle(kind: "EMAIL" | "NAME"): string {
  return kind === "EMAIL"
    ? "Incidents cannot be searched by email here; order names still work"
    : "Incidents cannot be searched by customer name here; order names still work";
}

function searchProblemBody(reason: Refusal | null): string {
  switch (reason) {
    case "PROTECTED_DATA":
      return "Shopify has not approved Amends for customers' names and emails on this store (protected customer data), so it will not search them for Amends. Search by order name (#1001) or the customer's id instead.";
    case "ACCESS":
      return "Shopify refused Amends access to customers for your account. Ask the store owner for permission to view customers, or search by order name (#1001).";
    default:
      return "Shopify's customer search did not answer. Try again in a moment, or search by order name (#1001).";
  }
}

function namesMissingNote(missing: Refusal | "FAILED"): string {
  switch (missing) {
    case "PROTECTED_DATA":
      return "Customers show as their Shopify id: Shopify has not approved Amends for customers' names and emails on this store.";
    case "ACCESS":
      return "Customers show as their Shopify id: Shopify refused Amends access to customers for your account.";
    case "FAILED":
      return "Customers show as their Shopify id: their names could not be read from Shopify just now.";
  }
}

export default function IncidentsIndex() {
  const { rows, page, anyIncidents, query, timeZone, causeLabel, customerSearch, namesMissing } =
    useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(query.q);
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Any change of filter, search or sort starts again from the first page.
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
  const setParam = (key: string, values: string[]) =>
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
    typing.current = setTimeout(() => setParam("q", value.trim() ? [value.trim()] : []), 350);
  };

  if (!anyIncidents) {
    return (
      <Page title="Incidents" primaryAction={REPORT_INCIDENT}>
        <TitleBar title="Incidents" />
        <NoIncidents />
      </Page>
    );
  }

  const choices = incidentFilters(query, setParam);
  // The root cause a dashboard or digest link opened the list with: a chip that clears it, and not
  // offered in "Add filter" (a cause is picked on the dashboard; decision 0118).
  const cause = query.cause && causeLabel ? causeLabel : null;
  const filters = cause
    ? [
        ...choices.filters,
        {
          key: "cause",
          label: "Root cause",
          hidden: true,
          filter: (
            <Text as="p">{`Incidents whose root cause includes ${cause}. Pick another cause on the dashboard.`}</Text>
          ),
        },
      ]
    : choices.filters;
  const applied = cause
    ? [...choices.applied, { key: "cause", label: `Root cause: ${cause}`, onRemove: () => setParam("cause", []) }]
    : choices.applied;
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
      primaryAction={REPORT_INCIDENT}
    >
      <TitleBar title="Incidents" />
      <BlockStack gap="300">
        <Card padding="0">
          <Filters
            queryValue={search}
            queryPlaceholder="Search by order (#1001), customer name or email"
            onQueryChange={onSearch}
            onQueryClear={() => onSearch("")}
            filters={filters}
            appliedFilters={applied}
            onClearAll={() =>
              update((next) => {
                for (const key of [...FILTER_KEYS, "q", "cause"]) next.delete(key);
              })
            }
          >
            <div style={{ minWidth: 240 }}>
              <Select
                label="Sort by"
                labelInline
                options={SORT_VALUES.map((value) => ({ label: SORTS[value], value }))}
                value={query.sort}
                onChange={(value: string) => setParam("sort", value === "detected-desc" ? [] : [value as IncidentSort])}
              />
            </div>
          </Filters>
          <div style={{ padding: "0 12px 8px" }}>
            <Text as="p" tone="subdued" variant="bodySm">
              Search finds an order by its name (#1001), or a customer by their email, their name or their Shopify id.
              Amends does not keep names or emails: it asks Shopify's customer search each time.
            </Text>
          </div>
          {customerSearch && customerSearch.outcome !== "FOUND" ? (
            <div style={{ padding: "0 12px 12px" }}>
              <Banner tone="warning" title={searchProblemTitle(customerSearch.kind)}>
                <p>{searchProblemBody(customerSearch.reason)}</p>
              </Banner>
            </div>
          ) : null}
          {customerSearch?.more ? (
            <div style={{ padding: "0 12px 12px" }}>
              <Banner tone="info">
                <p>
                  Many customers match this search: only the incidents of the first 25 are shown. Type more of the name
                  or the whole email.
                </p>
              </Banner>
            </div>
          ) : null}
          {namesMissing && !(customerSearch && customerSearch.outcome !== "FOUND") ? (
            <div style={{ padding: "0 12px 12px" }}>
              <Text as="p" tone="subdued" variant="bodySm">
                {namesMissingNote(namesMissing)}
              </Text>
            </div>
          ) : null}
          <IncidentsTable rows={rows} timeZone={timeZone} />
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
