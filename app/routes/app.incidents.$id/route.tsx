/** One incident: its summary, timeline and make-goods (each a card beside this file). */
import type { MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link as RemixLink,
  useLoaderData,
  useRouteError,
  useSearchParams,
} from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { useFeedback } from "../../components/Feedback";
import { formatWhen, SeverityBadge } from "../../components/IncidentBadges";
import { INCIDENT_TYPE_LABELS, labelOf } from "../../recovery/words";
import { useIncidentActions } from "./IncidentActions";
import { MakeGoodsCard } from "./MakeGoodsCard";
import type { loader } from "./route.server";
import { SummaryCard } from "./SummaryCard";
import { TimelineCard } from "./TimelineCard";

export { action, loader } from "./route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `Incident ${data.incident.orderName} · Amends` : "Incident not found · Amends",
  },
];

export default function IncidentDetail() {
  const {
    incident,
    why,
    offers,
    timeline,
    shop,
    timeZone,
    canRevealCodes,
    standing,
    primary,
    may,
    customer,
    customerNamesMissing,
  } = useLoaderData<typeof loader>();
  const actions = useIncidentActions({ orderName: incident.orderName, primary, offers, may });
  const { embedded, toast } = useFeedback();
  const [params, setParams] = useSearchParams();
  const when = (iso: string) => formatWhen(iso, timeZone);

  useEffect(() => {
    if (params.get("opened") !== "1") return;
    toast(`Incident reported for ${incident.orderName}`);
    const next = new URLSearchParams(params);
    next.delete("opened");
    setParams(next, { replace: true });
  }, [params, setParams, toast, incident.orderName]);

  const typeLabel = labelOf(INCIDENT_TYPE_LABELS, incident.type);
  return (
    <Page
      title={`${typeLabel}: ${incident.orderName}`}
      titleMetadata={
        <InlineStack gap="100">
          <SeverityBadge severity={incident.severity} />
          <Badge tone={standing.tone}>{standing.label}</Badge>
        </InlineStack>
      }
      backAction={{ content: "Incidents", url: "/app/incidents" }}
      primaryAction={actions.primaryAction}
      actionGroups={actions.actionGroups}
    >
      <TitleBar title={`Incident ${incident.orderName}`} />
      {actions.dialogs}
      <Layout>
        {actions.banner ? <Layout.Section>{actions.banner}</Layout.Section> : null}
        <Layout.Section>
          <BlockStack gap="400">
            <SummaryCard
              incident={incident}
              customer={customer}
              customerNamesMissing={customerNamesMissing}
              why={why}
              typeLabel={typeLabel}
              shop={shop}
              embedded={embedded}
              when={when}
            />
            <TimelineCard timeline={timeline} timeZone={timeZone} when={when} />
          </BlockStack>
        </Layout.Section>
        <MakeGoodsCard
          offers={offers}
          decided={Boolean(incident.decision)}
          shop={shop}
          embedded={embedded}
          canRevealCodes={canRevealCodes}
          when={when}
        />
      </Layout>
    </Page>
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
