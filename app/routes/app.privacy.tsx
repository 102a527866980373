/**
 * Privacy requests Shopify sent for the shop (customers/data_request, customers/redact,
 * shop/redact) and what Amends did. A data request's export is downloaded here, once, by a
 * manager or the owner; the download deletes it. docs/decisions/0018-privacy-requests.md.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Button, Card, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { useFeedback } from "../components/Feedback";
import { privacyPage, type PrivacyRequestRow } from "../services/privacy/exports.server";
import { staffContext } from "../staff.server";

export const meta: MetaFunction = () => [{ title: "Privacy requests · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, staff } = await staffContext(request);
  return privacyPage(shop, staff);
};

const KIND_LABEL: Record<PrivacyRequestRow["kind"], string> = {
  CUSTOMER_DATA_REQUEST: "Customer data request",
  CUSTOMER_REDACT: "Customer erasure",
  SHOP_REDACT: "Store erasure",
};

function exportState(row: PrivacyRequestRow) {
  if (row.kind !== "CUSTOMER_DATA_REQUEST") {
    const state = row.result.state;
    return (
      <Badge tone={state === "RUNNING" ? "attention" : "success"}>{state === "RUNNING" ? "Erasing" : "Erased"}</Badge>
    );
  }
  if (row.deliveredAt) return <Badge tone="success">{`Downloaded ${row.deliveredAt.slice(0, 10)}`}</Badge>;
  if (row.exportAvailable) return <Badge tone="attention">{`Ready until ${row.exportExpiresAt?.slice(0, 10)}`}</Badge>;
  return <Badge>Deleted</Badge>;
}

export default function PrivacyPage() {
  const data = useLoaderData<typeof loader>();
  const { toast } = useFeedback();
  const revalidator = useRevalidator();
  const [busy, setBusy] = useState<string | null>(null);

  // Through fetch rather than a form: inside the admin, App Bridge adds the session token to the
  // app's own fetches. The download deletes the export, so it is a POST.
  const download = async (id: string) => {
    setBusy(id);
    try {
      const response = await fetch(`/app/privacy/${id}/export.json`, { method: "POST" });
      if (!response.ok) throw new Error(await response.text());
      const name =
        /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "amends-data-request.json";
      const href = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href, download: name });
      link.click();
      URL.revokeObjectURL(href);
      toast("Export downloaded and deleted from Amends");
    } catch (error) {
      toast(`Download failed: ${error instanceof Error ? error.message : "unknown error"}`, { error: true });
    } finally {
      setBusy(null);
      revalidator.revalidate();
    }
  };

  return (
    <Page title="Privacy requests" backAction={{ content: "Settings", url: "/app/settings" }}>
      <TitleBar title="Privacy requests" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              Shopify forwards your customers&apos; privacy requests to Amends. Erasures run on their own. A data
              request&apos;s export waits here for 30 days: download it once and pass it on to the customer; the
              download deletes it from Amends.
              {data.viewer.canDownload ? "" : " Only a manager or the store owner can download an export."}
            </Text>
            <Card padding="0">
              {data.requests.length === 0 ? (
                <Box padding="400">
                  <Text as="p">No privacy requests yet. They appear here when Shopify sends them.</Text>
                </Box>
              ) : (
                <IndexTable
                  resourceName={{ singular: "request", plural: "requests" }}
                  itemCount={data.requests.length}
                  selectable={false}
                  headings={[
                    { title: "Received" },
                    { title: "Request" },
                    { title: "Customer" },
                    { title: "State" },
                    { title: "" },
                  ]}
                >
                  {data.requests.map((row, index) => (
                    <IndexTable.Row id={row.id} key={row.id} position={index}>
                      <IndexTable.Cell>{row.completedAt.slice(0, 10)}</IndexTable.Cell>
                      <IndexTable.Cell>{KIND_LABEL[row.kind]}</IndexTable.Cell>
                      <IndexTable.Cell>{row.customerGid?.split("/").pop() ?? "—"}</IndexTable.Cell>
                      <IndexTable.Cell>{exportState(row)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        {row.exportAvailable && data.viewer.canDownload ? (
                          <Button
                            onClick={() => void download(row.id)}
                            loading={busy === row.id}
                            accessibilityLabel={`Download export for customer ${row.customerGid?.split("/").pop() ?? ""}`}
                          >
                            Download export
                          </Button>
                        ) : null}
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
