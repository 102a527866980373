/** The incidents index: every incident of the shop, filtered, searched and sorted through the URL. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, Filters, InlineStack, Page, Pagination, Select, Text } from "@shopify/polaris";
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

export default function IncidentsIndex() {
  const { rows, page, anyIncidents, query, timeZone, causeLabel } = useLoaderData<typeof loader>();
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
            queryPlaceholder="Search by order name (#1001) or customer id"
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
              Search finds an order by its name (#1001 or 1001) or a customer by their Shopify id (the number at the end
              of the customer's address in your admin). Amends does not store customer names or emails, so it cannot
              search by them.
            </Text>
          </div>
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
