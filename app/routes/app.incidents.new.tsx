import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, FormLayout, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formObject, parseWith, type FieldErrors } from "../forms";
import { MANUAL_CATEGORIES } from "../recovery/incidents/signals";
import { manualIncidentForm, openIncidentByHand } from "../services/incidents-view.server";
import { MANUAL_CATEGORY_LABELS } from "../services/incidents-view/timeline";
import { interactiveAdmin } from "../shopify/admin.server";
import { staffContext } from "../staff.server";

export const meta: MetaFunction = () => [{ title: "Open an incident · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await staffContext(request);
  return null;
};

export type NewIncidentActionData = { fieldErrors: FieldErrors; existing?: { incidentId: string; orderName: string } };

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await staffContext(request);
  const parsed = parseWith(manualIncidentForm, formObject(await request.formData()));
  if (!parsed.ok) return data<NewIncidentActionData>({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  // As the signed-in member: the order lookup and re-read use their online token.
  const admin = interactiveAdmin(context.admin.admin, context.shop);
  const outcome = await openIncidentByHand(context.shop, context.staff, parsed.data, admin);
  switch (outcome.kind) {
    case "FIELD_ERRORS":
      return data<NewIncidentActionData>({ fieldErrors: outcome.fieldErrors }, { status: 400 });
    case "ALREADY_OPEN":
      return data<NewIncidentActionData>(
        {
          fieldErrors: {
            order: `${outcome.orderName} already has an open incident reported by staff. Add to that one instead of opening another.`,
          },
          existing: { incidentId: outcome.incidentId, orderName: outcome.orderName },
        },
        { status: 409 },
      );
    case "OPENED":
      // A relative redirect: Remix follows it client-side (inside the admin too). The library's
      // admin.redirect would make it absolute on SHOPIFY_APP_URL, another origin in the demo.
      return redirect(`/app/incidents/${outcome.incidentId}?opened=1`);
  }
};

const CATEGORY_OPTIONS = [
  { label: "Choose what went wrong", value: "" },
  ...MANUAL_CATEGORIES.map((value) => ({ label: MANUAL_CATEGORY_LABELS[value] ?? value, value })),
];
const SEVERITY_OPTIONS = [
  { label: "Choose how bad it was", value: "" },
  { label: "Minor: an inconvenience", value: "minor" },
  { label: "Moderate: the customer is clearly unhappy", value: "moderate" },
  { label: "Major: the order is spoiled", value: "major" },
  { label: "Critical: a serious failure, a valued customer at risk", value: "critical" },
];

export default function NewIncident() {
  const result = useActionData<typeof action>() as NewIncidentActionData | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [order, setOrder] = useState(params.get("order") ?? "");
  const [category, setCategory] = useState("");
  const [severity, setSeverity] = useState("");
  const [note, setNote] = useState("");
  const [happenedOn, setHappenedOn] = useState("");
  const errors = result?.fieldErrors ?? {};
  const submitting = navigation.state === "submitting";

  return (
    <Page title="Open an incident" backAction={{ content: "Incidents", url: "/app/incidents" }}>
      <TitleBar title="Open an incident" />
      <Layout>
        <Layout.Section>
          <Form method="post" noValidate>
            <Card>
              <BlockStack gap="400">
                <Text as="p">
                  Use this when a customer tells you about a problem Amends cannot see in your store's data: a damaged,
                  wrong or missing item, poor quality or poor service. Amends then decides a make-good from your
                  compensation grid, as for the failures it detects itself.
                </Text>
                {result?.existing ? (
                  <Banner tone="warning" title={`${result.existing.orderName} already has an open incident`}>
                    <RemixLink to={`/app/incidents/${result.existing.incidentId}`}>
                      Open the existing incident for {result.existing.orderName}
                    </RemixLink>
                  </Banner>
                ) : null}
                <FormLayout>
                  <TextField
                    label="Order"
                    name="order"
                    value={order}
                    onChange={setOrder}
                    autoComplete="off"
                    helpText="The order's name as shown in Shopify, for example #1001."
                    error={errors.order}
                  />
                  <Select
                    label="What went wrong"
                    name="category"
                    options={CATEGORY_OPTIONS}
                    value={category}
                    onChange={setCategory}
                    error={errors.category}
                  />
                  <Select
                    label="Severity"
                    name="severity"
                    options={SEVERITY_OPTIONS}
                    value={severity}
                    onChange={setSeverity}
                    error={errors.severity}
                    helpText="Severity picks the row of your compensation grid."
                  />
                  <TextField
                    label="When did it happen"
                    name="happenedOn"
                    type="date"
                    value={happenedOn}
                    onChange={setHappenedOn}
                    autoComplete="off"
                    helpText="The day the customer was let down, in your store's time zone. Leave it empty for today."
                    error={errors.happenedOn}
                  />
                  <TextField
                    label="Note"
                    name="note"
                    value={note}
                    onChange={setNote}
                    multiline={3}
                    autoComplete="off"
                    maxLength={1000}
                    helpText="What the customer told you, and how they got in touch. Kept with the incident as its evidence."
                    error={errors.note}
                  />
                  <Button submit variant="primary" loading={submitting}>
                    Open incident
                  </Button>
                </FormLayout>
              </BlockStack>
            </Card>
          </Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
