/** The incidents index: every incident of the shop, filtered, searched and sorted through the URL. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Card,
  IndexFilters,
  IndexFiltersMode,
  InlineStack,
  List,
  Page,
  Pagination,
  Text,
  useIndexResourceState,
  useSetIndexFiltersMode,
  type TabProps,
} from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { useFeedback } from "../../components/Feedback";
import { formObject, parseWith } from "../../forms";
import { readForm } from "../../http/read-form.server";
import {
  BULK_INCIDENTS_MAX,
  bulkIncidentAction,
  incidentPermissions,
  type BulkIncidentResult,
} from "../../services/incident-actions.server";
import { incidentIndex } from "../../services/incidents-view.server";
import { interactiveAdmin } from "../../shopify/admin.server";
import {
  SAVED_VIEWS,
  savedViewOf,
  SORT_VALUES,
  VIEW_FILTER_KEYS,
  type IncidentSort,
} from "../../services/incidents-view/query";
import { staffContext } from "../../staff.server";
import { FILTER_KEYS, incidentFilters } from "./filters";
import { IncidentsTable } from "./IncidentsTable";
import { NoIncidents } from "./NoIncidents";
import { customerIdsNote } from "../../components/customer-names";

export const meta: MetaFunction = () => [{ title: "Incidents · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin, staff } = await staffContext(request);
  // The member's admin client: customer search and names, and the product of a root cause filter.
  const [index, permissions] = await Promise.all([
    incidentIndex(shop, new URL(request.url).searchParams, { admin: interactiveAdmin(admin.admin, shop) }),
    incidentPermissions(shop, staff),
  ]);
  return { ...index, may: { close: permissions.close, retryIssue: permissions.retryIssue } };
};

const bulkSchema = z.object({
  intent: z.enum(["bulkClose", "bulkRetry"], { error: "Unknown action" }),
  incidentIds: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.uuid("Not an incident id"))
      .min(1, "Select at least one incident")
      .max(BULK_INCIDENTS_MAX, `Select at most ${BULK_INCIDENTS_MAX} incidents`),
  ),
});

export type BulkAnswer =
  | { ok: true; intent: "bulkClose" | "bulkRetry"; message: string; results: BulkIncidentResult[] }
  | { ok: false; message: string };

/** Close or retry the selected incidents: each checked and recorded as from its own page (decision 0125). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const parsed = parseWith(bulkSchema, formObject(await readForm(request)));
  if (!parsed.ok)
    return Response.json(
      { ok: false, message: Object.values(parsed.fieldErrors)[0] ?? "Invalid request" } satisfies BulkAnswer,
      { status: 400 },
    );
  const { intent, incidentIds } = parsed.data;
  const outcome = await bulkIncidentAction(shop, staff, intent === "bulkClose" ? "close" : "retryIssue", incidentIds);
  if (!outcome.ok) return Response.json({ ok: false, message: outcome.message } satisfies BulkAnswer, { status: 403 });
  const done = outcome.results.filter((r) => r.ok).length;
  const verb = intent === "bulkClose" ? "closed" : "sent to issue again";
  return {
    ok: true,
    intent,
    message: `${done} of ${outcome.results.length} ${outcome.results.length === 1 ? "incident" : "incidents"} ${verb}`,
    results: outcome.results,
  } satisfies BulkAnswer;
};

/** Each sort as IndexFilters' "key direction", with the direction in words. */
const SORT_OPTIONS = [
  { label: "Detected", value: "detected asc", directionLabel: "Oldest first" },
  { label: "Detected", value: "detected desc", directionLabel: "Newest first" },
  { label: "Severity", value: "severity asc", directionLabel: "Mildest first" },
  { label: "Severity", value: "severity desc", directionLabel: "Worst first" },
  { label: "Order name", value: "order asc", directionLabel: "A-Z" },
  { label: "Order name", value: "order desc", directionLabel: "Z-A" },
] as const;
const toSortValue = (sort: IncidentSort) => sort.replace("-", " ") as (typeof SORT_OPTIONS)[number]["value"];
const fromSortValue = (value: string | undefined): IncidentSort | null => {
  const sort = value?.replace(" ", "-");
  return sort && (SORT_VALUES as string[]).includes(sort) ? (sort as IncidentSort) : null;
};

const REPORT_INCIDENT = { content: "Report incident", url: "/app/incidents/new" };

function BulkReport({ answer, onDismiss }: { answer: Extract<BulkAnswer, { ok: true }>; onDismiss(): void }) {
  const failed = answer.results.filter((r) => !r.ok);
  return (
    <Banner tone={failed.length === 0 ? "success" : "warning"} title={answer.message} onDismiss={onDismiss}>
      {failed.length > 0 ? (
        <BlockStack gap="100">
          <p>{failed.length === 1 ? "This one was not:" : "These were not:"}</p>
          <List>
            {failed.map((r) => (
              <List.Item key={r.incidentId}>{`${r.orderName ?? "Unknown incident"}: ${r.message}`}</List.Item>
            ))}
          </List>
        </BlockStack>
      ) : null}
    </Banner>
  );
}

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

export default function IncidentsIndex() {
  const { rows, page, anyIncidents, query, timeZone, causeLabel, customerSearch, namesMissing, may } =
    useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const { toast } = useFeedback();
  const bulk = useFetcher<BulkAnswer>({ key: "incidents-bulk" });
  const [report, setReport] = useState<Extract<BulkAnswer, { ok: true }> | null>(null);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(
    rows.map((r) => ({ id: r.id })),
  );
  // A search, or filters that are no saved view (a root cause from the dashboard, for one), open with
  // the search field and their chips showing.
  const { mode, setMode } = useSetIndexFiltersMode(
    query.q || savedViewOf(query) === null ? IndexFiltersMode.Filtering : IndexFiltersMode.Default,
  );
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
    typing.current = null;
    // Nothing new to search for (IndexFilters' Cancel with an empty search, for one): no navigation,
    // which would otherwise land after a row's click and bring the list back.
    if (value.trim() === query.q) return;
    // Search as the user types, once they pause.
    typing.current = setTimeout(() => setParam("q", value.trim() ? [value.trim()] : []), 350);
  };

  useEffect(() => {
    if (bulk.state !== "idle" || !bulk.data) return;
    if (bulk.data.ok) {
      setReport(bulk.data);
      toast(bulk.data.message, { error: bulk.data.results.some((r) => !r.ok) });
      clearSelection();
    } else {
      toast(bulk.data.message, { error: true });
    }
    // Only when a bulk answer arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bulk.state, bulk.data]);

  const submitBulk = (intent: "bulkClose" | "bulkRetry") => {
    const form = new FormData();
    form.set("intent", intent);
    for (const id of allResourcesSelected ? rows.map((r) => r.id) : selectedResources) form.append("incidentIds", id);
    bulk.submit(form, { method: "post" });
  };

  const viewId = savedViewOf(query);
  const tabs: TabProps[] = SAVED_VIEWS.map((view) => ({
    id: `view-${view.id}`,
    content: view.label,
    isLocked: true,
    onAction: () =>
      update((next) => {
        for (const key of VIEW_FILTER_KEYS) next.delete(key);
        for (const [key, values] of Object.entries(view.filters) as Array<[string, readonly string[]]>)
          for (const value of values) next.append(key, value);
      }),
  }));
  if (viewId === null) tabs.push({ id: "view-custom", content: "Custom filters", isLocked: true, onAction: () => {} });
  const selectedTab = viewId === null ? tabs.length - 1 : SAVED_VIEWS.findIndex((v) => v.id === viewId);

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
        {report ? <BulkReport answer={report} onDismiss={() => setReport(null)} /> : null}
        <Card padding="0">
          <IndexFilters
            tabs={tabs}
            selected={selectedTab}
            onSelect={() => {}}
            canCreateNewView={false}
            queryValue={search}
            queryPlaceholder="Search by order (#1001), customer name or email"
            onQueryChange={onSearch}
            onQueryClear={() => onSearch("")}
            sortOptions={[...SORT_OPTIONS]}
            sortSelected={[toSortValue(query.sort)]}
            onSort={(selected) => {
              const sort = fromSortValue(selected[0]);
              if (sort) setParam("sort", sort === "detected-desc" ? [] : [sort]);
            }}
            filters={filters}
            appliedFilters={applied}
            onClearAll={() =>
              update((next) => {
                for (const key of [...FILTER_KEYS, "q", "cause"]) next.delete(key);
              })
            }
            cancelAction={{ onAction: () => onSearch("") }}
            mode={mode}
            setMode={setMode}
            filteringAccessibilityLabel="Search and filter incidents"
          />
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
                {customerIdsNote(namesMissing)}
              </Text>
            </div>
          ) : null}
          <IncidentsTable
            rows={rows}
            timeZone={timeZone}
            selection={{
              selectedResources,
              allResourcesSelected,
              onSelectionChange: handleSelectionChange,
              bulkActions: [
                ...(may.close
                  ? [
                      {
                        content: "Close incidents",
                        onAction: () => submitBulk("bulkClose"),
                        disabled: bulk.state !== "idle",
                      },
                    ]
                  : []),
                ...(may.retryIssue
                  ? [
                      {
                        content: "Retry issuing",
                        onAction: () => submitBulk("bulkRetry"),
                        disabled: bulk.state !== "idle",
                      },
                    ]
                  : []),
              ],
            }}
          />
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
