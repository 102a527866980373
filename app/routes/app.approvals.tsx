import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Filters,
  IndexTable,
  Layout,
  List,
  Page,
  Text,
  useIndexResourceState,
} from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { z } from "zod";
import { FailedMakeGoodsCard } from "../components/approvals/FailedMakeGoodsCard";
import { FollowUpsCard } from "../components/approvals/FollowUpsCard";
import { LowRatingsCard } from "../components/approvals/LowRatingsCard";
import { QueueRowView } from "../components/approvals/QueueRow";
import { editedValueSchema, rejectReasonSchema } from "../components/approvals/decision-forms";
import { filterControls } from "../components/approvals/FilterControls";
import {
  filtersFromSearchParams,
  hasFilters,
  NO_FILTERS,
  pageLinks,
  searchParamsWithFilters,
  type QueueFilters,
} from "../recovery/queue-filters";
import { useFeedback } from "../components/Feedback";
import { SectionCard } from "../components/SectionCard";
import { formObject, parseWith, type FieldErrors } from "../forms";
import {
  approvalQueue,
  approveFromQueue,
  bulkApproveFromQueue,
  markFollowUpDone,
  rejectFromQueue,
  type BulkRowResult,
  type QueueOutcome,
} from "../services/approval-queue.server";
import { lowRatingRows, resolveLowRating } from "../services/ratings/ratings.server";
import { customerIdsNote } from "../components/customer-names";
import { nameCustomerLinks } from "../services/customer-identity.server";
import { interactiveAdmin } from "../shopify/admin.server";
import { staffContext } from "../staff.server";
import { readForm } from "../http/read-form.server";

export const meta: MetaFunction = () => [{ title: "Approvals · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, staff, admin } = await staffContext(request);
  const params = new URL(request.url).searchParams;
  const filters = filtersFromSearchParams(params);
  const queue = await approvalQueue(shop, staff, filters, params.get("cursor"));
  const lowRatings = await lowRatingRows(shop);
  // Names and emails read live as the signed-in member, one read for the page; never stored.
  const customerNamesMissing = await nameCustomerLinks(shop, interactiveAdmin(admin.admin, shop), [
    ...queue.rows.map((r) => r.customer),
    ...queue.followUps.map((f) => f.customer),
    ...queue.failed.rows.map((f) => f.customer),
    ...lowRatings.map((r) => r.customer),
  ]);
  return { ...queue, filters, lowRatings, customerNamesMissing };
};

const offerId = z.uuid("That offer id is not valid");
const bulkIds = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(offerId).min(1, "Select at least one offer").max(250, "Approve at most 250 offers at once"),
);

const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("approve"), offerId }),
    z.object({
      intent: z.literal("approveEdited"),
      offerId,
      value: editedValueSchema,
    }),
    z.object({
      intent: z.literal("reject"),
      offerId,
      reason: rejectReasonSchema,
    }),
    z.object({ intent: z.literal("bulkApprove"), offerIds: bulkIds }),
    z.object({ intent: z.literal("followUpDone"), eventId: z.uuid("That follow-up id is not valid") }),
    z.object({ intent: z.literal("lowRatingDone"), ratingId: z.uuid("That rating id is not valid") }),
  ],
  { error: "Unknown action" },
);

export type ActionResult =
  | { ok: true; intent: "approve" | "approveEdited" | "reject" | "followUpDone" | "lowRatingDone"; message: string }
  | { ok: true; intent: "bulkApprove"; message: string; results: BulkRowResult[] }
  | { ok: false; fieldErrors: FieldErrors; approvers?: string[] }
  | { ok: false; error: string; approvers?: string[] };

function fromOutcome(intent: "approve" | "approveEdited" | "reject", outcome: QueueOutcome) {
  if (outcome.ok) return data<ActionResult>({ ok: true, intent, message: outcome.message });
  const body: ActionResult = outcome.field
    ? { ok: false, fieldErrors: { [outcome.field]: outcome.message }, approvers: outcome.approvers }
    : { ok: false, error: outcome.message, approvers: outcome.approvers };
  return data<ActionResult>(body, { status: outcome.status });
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const parsed = parseWith(actionSchema, formObject(await readForm(request)));
  if (!parsed.ok) return data<ActionResult>({ ok: false, fieldErrors: parsed.fieldErrors }, { status: 400 });
  const input = parsed.data;
  switch (input.intent) {
    case "approve":
      return fromOutcome(input.intent, await approveFromQueue(shop, input.offerId, staff));
    case "approveEdited":
      return fromOutcome(input.intent, await approveFromQueue(shop, input.offerId, staff, input.value));
    case "reject":
      return fromOutcome(input.intent, await rejectFromQueue(shop, input.offerId, staff, input.reason));
    case "bulkApprove": {
      const results = await bulkApproveFromQueue(shop, input.offerIds, staff);
      const approved = results.filter((r) => r.outcome === "APPROVED").length;
      const message =
        approved === results.length
          ? `${approved} approved`
          : `${approved} of ${results.length} approved; see the details above the queue`;
      return data<ActionResult>({ ok: true, intent: "bulkApprove", message, results });
    }
    case "followUpDone": {
      const result = await markFollowUpDone(shop, input.eventId, staff);
      if (result === "NOT_FOUND")
        return data<ActionResult>({ ok: false, error: "No such follow-up in this shop" }, { status: 404 });
      return data<ActionResult>({
        ok: true,
        intent: "followUpDone",
        message: result === "DONE" ? "Follow-up marked done" : "Someone already marked it done",
      });
    }
    case "lowRatingDone": {
      const result = await resolveLowRating(shop, input.ratingId, staff);
      if (result === "NOT_FOUND")
        return data<ActionResult>({ ok: false, error: "No such low rating in this shop" }, { status: 404 });
      return data<ActionResult>({
        ok: true,
        intent: "lowRatingDone",
        message: result === "DONE" ? "Low rating marked followed up" : "Someone already followed it up",
      });
    }
  }
};

/** The app's clock, ticking every minute on the page (offset so the demo's moved clock is respected). */
function useMinuteClock(serverNow: string): Date {
  const offset = useRef<number | null>(null);
  const [now, setNow] = useState(() => new Date(serverNow));
  useEffect(() => {
    offset.current = new Date(serverNow).getTime() - Date.now();
    const tick = () => setNow(new Date(Date.now() + (offset.current ?? 0)));
    const timer = setInterval(tick, 60_000);
    return () => clearInterval(timer);
  }, [serverNow]);
  return now;
}

export default function Approvals() {
  const queue = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const { toast } = useFeedback();
  const now = useMinuteClock(queue.now);
  const bulk = useFetcher<ActionResult>({ key: "approvals-bulk" });
  const [bulkResults, setBulkResults] = useState<BulkRowResult[] | null>(null);
  const bulkPending =
    bulk.state !== "idle" && bulk.formData ? new Set(bulk.formData.getAll("offerIds").map(String)) : new Set<string>();
  const rows = queue.rows;
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(
    rows.map((r) => ({ id: r.offerId })),
  );

  useEffect(() => {
    if (bulk.state !== "idle" || !bulk.data) return;
    if (bulk.data.ok && bulk.data.intent === "bulkApprove") {
      setBulkResults(bulk.data.results);
      toast(bulk.data.message, { error: bulk.data.results.some((r) => r.outcome !== "APPROVED") });
      clearSelection();
    } else if (!bulk.data.ok) {
      toast("error" in bulk.data ? bulk.data.error : Object.values(bulk.data.fieldErrors).join("; "), { error: true });
    }
    // Only when a bulk answer arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bulk.state, bulk.data]);

  const setFilters = useCallback(
    (filters: QueueFilters) =>
      setSearchParams(searchParamsWithFilters(searchParams, filters), { replace: true, preventScrollReset: true }),
    [searchParams, setSearchParams],
  );
  const { filters: filterList, appliedFilters } = useMemo(
    () => filterControls(queue.filters, setFilters),
    [queue.filters, setFilters],
  );

  const approveSelected = () => {
    const form = new FormData();
    form.set("intent", "bulkApprove");
    const ids = allResourcesSelected ? rows.map((r) => r.offerId) : selectedResources;
    for (const id of ids) form.append("offerIds", id);
    bulk.submit(form, { method: "post" });
  };

  const filtered = hasFilters(queue.filters);
  const pages = pageLinks(searchParams, queue.filters, queue.nextCursor);

  return (
    <Page
      title="Approvals"
      subtitle={`${queue.totalWaiting} ${queue.totalWaiting === 1 ? "offer" : "offers"} waiting for a decision · oldest failure first`}
    >
      <TitleBar title="Approvals" />
      <Layout>
        {bulkResults ? (
          <Layout.Section>
            <Banner
              title={`Approve selected: ${bulkResults.filter((r) => r.outcome === "APPROVED").length} of ${bulkResults.length} approved`}
              tone={bulkResults.every((r) => r.outcome === "APPROVED") ? "success" : "warning"}
              onDismiss={() => setBulkResults(null)}
            >
              <List>
                {bulkResults.map((r) => (
                  <List.Item key={r.offerId}>{r.message}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <SectionCard
            flush
            title="Offers waiting for approval"
            description="Make-goods the compensation grid proposed that need a person to say yes. The sooner the customer gets it, the more likely they buy again: aim for the same day as the failure."
          >
            <BlockStack>
              <Filters
                filters={filterList}
                appliedFilters={appliedFilters}
                queryValue=""
                hideQueryField
                onQueryChange={() => {}}
                onQueryClear={() => {}}
                onClearAll={() => setFilters(NO_FILTERS)}
              />
              {queue.customerNamesMissing ? (
                <div style={{ padding: "0 12px 12px" }}>
                  <Text as="p" tone="subdued" variant="bodySm">
                    {customerIdsNote(queue.customerNamesMissing)}
                  </Text>
                </div>
              ) : null}
              {rows.length === 0 ? (
                <EmptyQueue
                  filtered={filtered}
                  onClear={() => setFilters(NO_FILTERS)}
                  anyWaiting={queue.totalWaiting > 0}
                />
              ) : (
                <IndexTable
                  resourceName={{ singular: "offer", plural: "offers" }}
                  itemCount={rows.length}
                  selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                  onSelectionChange={handleSelectionChange}
                  promotedBulkActions={[{ content: "Approve selected", onAction: approveSelected }]}
                  headings={[
                    { title: "Failure" },
                    { title: "Customer" },
                    { title: "Proposed make-good" },
                    { title: "Waiting" },
                    { title: "Your authority" },
                    { title: "Decision", alignment: "end" },
                  ]}
                  pagination={
                    pages.next || pages.previous
                      ? {
                          hasNext: pages.next !== null,
                          onNext: () => pages.next && setSearchParams(pages.next),
                          hasPrevious: pages.previous !== null,
                          onPrevious: () => pages.previous && setSearchParams(pages.previous),
                        }
                      : undefined
                  }
                >
                  {rows.map((row, index) => (
                    <QueueRowView
                      key={row.offerId}
                      row={row}
                      position={index}
                      selected={selectedResources.includes(row.offerId)}
                      now={now}
                      bulkPending={bulkPending.has(row.offerId)}
                    />
                  ))}
                </IndexTable>
              )}
            </BlockStack>
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <FailedMakeGoodsCard failed={queue.failed} now={now} />
        </Layout.Section>
        <Layout.Section>
          <FollowUpsCard followUps={queue.followUps} now={now} />
        </Layout.Section>
        <Layout.Section>
          <LowRatingsCard lowRatings={queue.lowRatings} now={now} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function EmptyQueue({ filtered, anyWaiting, onClear }: { filtered: boolean; anyWaiting: boolean; onClear(): void }) {
  if (filtered && anyWaiting) {
    return (
      <div style={{ padding: "var(--p-space-400)" }}>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            No offers match these filters
          </Text>
          <Text as="p">
            Other offers are waiting.{" "}
            <Button variant="plain" onClick={onClear}>
              Clear the filters
            </Button>{" "}
            to see them all.
          </Text>
        </BlockStack>
      </div>
    );
  }
  return (
    <div style={{ padding: "var(--p-space-400)" }}>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Nothing waiting for approval
        </Text>
        <Text as="p">
          Every make-good Amends proposed has been decided, or was issued on its own because the compensation grid lets
          it. Offers land here when a grid cell asks for staff or manager approval, or when a guardrail (a
          customer&apos;s limits, the per-offer ceiling, the monthly budget) wants a person to look.
        </Text>
        <Text as="p">
          Every rule that decides who approves is listed in one place, the{" "}
          <Link to="/app/grid#approval-rules">approval rules</Link> on the compensation grid page. To choose which
          make-goods wait for a person, change the approval routes in the <Link to="/app/grid">compensation grid</Link>.
        </Text>
      </BlockStack>
    </div>
  );
}
