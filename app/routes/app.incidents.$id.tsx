import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  useFetcher,
  Link as RemixLink,
  useLoaderData,
  useRouteError,
  useSearchParams,
} from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Button,
  Box,
  Card,
  Divider,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { useEffect } from "react";
import { useFeedback } from "../components/Feedback";
import { formatWhen, OfferStatusBadge, SeverityBadge, StateBadge } from "../components/IncidentBadges";
import { formatMoney } from "../recovery/money";
import { incidentDetail } from "../services/incidents-view.server";
import { INCIDENT_TYPE_LABELS } from "../services/incidents-view/timeline";
import { z } from "zod";
import { formObject, parseWith } from "../forms";
import { retryIssue, RetryRefusedError } from "../services/issuing.server";
import { staffContext } from "../staff.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `Incident ${data.incident.orderName} · Amends` : "Incident not found · Amends",
  },
];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await staffContext(request);
  const detail = await incidentDetail(shop, params.id ?? "");
  // Another shop's incident is as unknown as a made-up id: nothing tells them apart.
  if (!detail)
    throw new Response("Incident not found", {
      status: 404,
      statusText: "Not Found",
    });
  return detail;
};

const actionSchema = z.object({ intent: z.literal("retryIssue"), offerId: z.uuid("Not an offer of this incident") });

/** Retry issuing a FAILED make-good (its error shown above the button): back to APPROVED with an issue job. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  const input = parseWith(actionSchema, formObject(await request.formData()));
  if (!input.ok)
    return Response.json(
      { ok: false, message: Object.values(input.fieldErrors)[0] ?? "Invalid request" },
      { status: 400 },
    );
  const detail = await incidentDetail(shop, params.id ?? "");
  if (!detail || !detail.offers.some((o) => o.id === input.data.offerId))
    return Response.json({ ok: false, message: "No such make-good on this incident" }, { status: 404 });
  let retried: boolean;
  try {
    retried = await retryIssue(shop, input.data.offerId, staff.userId);
  } catch (error) {
    if (error instanceof RetryRefusedError)
      return Response.json({ ok: false, message: error.message }, { status: 422 });
    throw error;
  }
  return retried
    ? { ok: true, message: "Issuing again: the make-good goes out in a moment." }
    : Response.json(
        { ok: false, message: "This make-good is not failed any more (someone retried it already)." },
        { status: 409 },
      );
};

/** The Retry button of a failed make-good, with its own request so the page stays put. */
function RetryIssue({ offerId }: { offerId: string }) {
  const fetcher = useFetcher<{ ok: boolean; message: string }>();
  const { toast } = useFeedback();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) toast(fetcher.data.message, { error: !fetcher.data.ok });
  }, [fetcher.state, fetcher.data, toast]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="retryIssue" />
      <input type="hidden" name="offerId" value={offerId} />
      <Button submit loading={fetcher.state !== "idle"}>
        Retry issuing
      </Button>
    </fetcher.Form>
  );
}

const DECISION_LABELS: Record<string, string> = {
  OFFER: "Make-good decided",
  HOLDOUT: "Control group: no make-good, to measure what make-goods change",
  NO_OFFER: "No make-good",
  INELIGIBLE: "Not eligible for a make-good",
};

/** Inside the admin, App Bridge resolves shopify:admin links; in the demo the store admin opens in a new tab. */
function AdminLink({
  embedded,
  shop,
  path,
  children,
}: {
  embedded: boolean;
  shop: string;
  path: string;
  children: string;
}) {
  return embedded ? (
    <Link url={`shopify:admin/${path}`}>{children}</Link>
  ) : (
    <Link url={`https://${shop}/admin/${path}`} target="_blank">
      {children}
    </Link>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <InlineGrid columns={{ xs: 1, sm: ["oneThird", "twoThirds"] }} gap="200">
      <Text as="dt" tone="subdued">
        {label}
      </Text>
      <dd style={{ margin: 0 }}>{children}</dd>
    </InlineGrid>
  );
}

export default function IncidentDetail() {
  const { incident, offers, timeline, shop, timeZone } = useLoaderData<typeof loader>();
  const { embedded, toast } = useFeedback();
  const [params, setParams] = useSearchParams();
  const when = (iso: string) => formatWhen(iso, timeZone);

  useEffect(() => {
    if (params.get("opened") !== "1") return;
    toast(`Incident opened for ${incident.orderName}`);
    const next = new URLSearchParams(params);
    next.delete("opened");
    setParams(next, { replace: true });
  }, [params, setParams, toast, incident.orderName]);

  const typeLabel = INCIDENT_TYPE_LABELS[incident.type] ?? incident.type;
  return (
    <Page
      title={`${typeLabel}: ${incident.orderName}`}
      titleMetadata={
        <InlineStack gap="100">
          <SeverityBadge severity={incident.severity} />
          <StateBadge state={incident.state} />
        </InlineStack>
      }
      backAction={{ content: "Incidents", url: "/app/incidents" }}
    >
      <TitleBar title={`Incident ${incident.orderName}`} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Summary
                </Text>
                <dl
                  style={{
                    margin: 0,
                    display: "grid",
                    gap: "var(--p-space-200)",
                  }}
                >
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
                    <Text as="span">
                      {incident.decision
                        ? (DECISION_LABELS[incident.decision] ?? incident.decision)
                        : "Not decided yet"}
                    </Text>
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
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Timeline
                </Text>
                <Text as="p" tone="subdued" variant="bodySm">
                  Oldest first, in the store's time zone ({timeZone}).
                </Text>
                <ol aria-label="Timeline, oldest first" style={{ listStyle: "none", margin: 0, padding: 0 }}>
                  {timeline.map((entry, index) => (
                    <li key={entry.id}>
                      {index > 0 ? <Divider /> : null}
                      <Box paddingBlock="200">
                        <BlockStack gap="050">
                          <InlineStack gap="200" blockAlign="center" wrap={false}>
                            <Text as="span" tone="subdued" variant="bodySm">
                              <time dateTime={entry.at}>{when(entry.at)}</time>
                            </Text>
                            {entry.tone ? (
                              <Badge tone={entry.tone} size="small">
                                {toneWord(entry.tone)}
                              </Badge>
                            ) : null}
                          </InlineStack>
                          <Text as="p" fontWeight="semibold">
                            {entry.title}
                          </Text>
                          {entry.detail ? (
                            <Text as="p" tone="subdued">
                              {entry.detail}
                            </Text>
                          ) : null}
                        </BlockStack>
                      </Box>
                    </li>
                  ))}
                </ol>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Make-goods
              </Text>
              {offers.length === 0 ? (
                <Text as="p" tone="subdued">
                  {incident.decision
                    ? "No make-good for this incident."
                    : "Amends has not decided yet; a make-good appears here once it does."}
                </Text>
              ) : (
                offers.map((offer, i) => (
                  <BlockStack gap="150" key={offer.id}>
                    {i > 0 ? <Divider /> : null}
                    <InlineStack gap="200" align="space-between" blockAlign="center">
                      <Text as="h3" variant="headingSm">
                        {offer.label.charAt(0).toUpperCase() + offer.label.slice(1)}
                      </Text>
                      <OfferStatusBadge status={offer.status} />
                    </InlineStack>
                    {offer.kind !== "NONE" && offer.status !== "HOLDOUT" ? (
                      <Text as="p">Value: {formatMoney(offer.faceValueMinor, offer.currency)}</Text>
                    ) : null}
                    {offer.code ? (
                      <Text as="p">
                        Code:{" "}
                        <Text as="span" fontWeight="semibold">
                          {offer.code}
                        </Text>
                      </Text>
                    ) : null}
                    {offer.expiresAt ? <Text as="p">Expires {when(offer.expiresAt)}</Text> : null}
                    {offer.decidedBy ? <Text as="p">Decided by {offer.decidedBy}</Text> : null}
                    {offer.lastError ? (
                      <Text as="p" tone="critical">
                        Last error: {offer.lastError}
                      </Text>
                    ) : null}
                    {offer.status === "FAILED" ? <RetryIssue offerId={offer.id} /> : null}
                    {offer.status === "PENDING_APPROVAL" ? (
                      <RemixLink to="/app/approvals">Review it in Approvals</RemixLink>
                    ) : null}
                    {offer.giftOrderId ? (
                      <AdminLink embedded={embedded} shop={shop} path={`orders/${offer.giftOrderId}`}>
                        Gift order in Shopify
                      </AdminLink>
                    ) : null}
                    {offer.redeemedOrderId ? (
                      <AdminLink embedded={embedded} shop={shop} path={`orders/${offer.redeemedOrderId}`}>
                        Order it was used on
                      </AdminLink>
                    ) : null}
                    {offer.wonBackOrderId && offer.wonBackOrderId !== offer.redeemedOrderId ? (
                      <AdminLink embedded={embedded} shop={shop} path={`orders/${offer.wonBackOrderId}`}>
                        Order the customer came back with
                      </AdminLink>
                    ) : null}
                    <Text as="p" tone="subdued" variant="bodySm">
                      {offer.summary}
                    </Text>
                  </BlockStack>
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function toneWord(tone: string): string {
  return (
    (
      {
        success: "Done",
        critical: "Problem",
        warning: "Attention",
        attention: "Waiting",
        info: "Info",
      } as Record<string, string>
    )[tone] ?? ""
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title="Incident not found" backAction={{ content: "Incidents", url: "/app/incidents" }}>
        <Card>
          <BlockStack gap="200">
            <Text as="p">
              This incident does not exist in your store. It may have been erased at a customer's request, or the link
              is wrong.
            </Text>
            <RemixLink to="/app/incidents">See all incidents</RemixLink>
          </BlockStack>
        </Card>
      </Page>
    );
  }
  throw error;
}
