import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { inboxSummary } from "../models/webhook-delivery.server";
import { authenticate } from "../shopify.server";

// Outside the admin (the demo) the page is the browser tab's document: it needs a title.
export const meta: MetaFunction = () => [{ title: "Dashboard · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { shop: session.shop, inbox: await inboxSummary(session.shop) };
};

export default function Dashboard() {
  const { inbox } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Amends" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Amends is listening to your store
              </Text>
              <Text as="p">
                {inbox.total === 0
                  ? "No store events yet. When orders, refunds and shipments happen, Amends records them here and watches for service failures."
                  : `${inbox.total} store events received; ${inbox.failed} could not be read and are kept for review.`}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
