import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, FormLayout, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formObject, parseWith, type FieldErrors } from "../forms";
import { MANUAL_CATEGORIES } from "../recovery/incidents/signals";
import { SEVERITIES, type Severity } from "../recovery/vocabulary";
import { MANUAL_CATEGORY_LABELS, SEVERITY_LABELS } from "../recovery/words";
import { manualIncidentForm, openIncidentByHand } from "../services/incidents-view.server";
import { interactiveAdmin } from "../shopify/admin.server";
import { staffContext } from "../staff.server";
import { readForm } from "../http/read-form.server";

export const meta: MetaFunction = () => [{ title: "Report an incident · Amends" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await staffContext(request);
  return null;
};

export type NewIncidentActionData = { fieldErrors: FieldErrors; existing?: { incidentId: string; orderName: string } };

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await staffContext(request);
  const parsed = parseWith(manualIncidentForm, formObject(await readForm(request)));
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
            order: `${outcome.orderName} already has an open incident reported by staff. Add to that one instead of reporting another.`,
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
  ...MANUAL_CATEGORIES.map((value) => ({ label: MANUAL_CATEGORY_LABELS[value], value })),
];
/** What each severity means for a complaint Amends cannot measure. */
const SEVERITY_MEANING: Record<Severity, string> = {
  minor: "an inconvenience",
  moderate: "the customer is clearly unhappy",
  major: "the order is spoiled",
  critical: "a serious failure, a valued customer at risk",
};
const SEVERITY_OPTIONS = [
  { label: "Choose how bad it was", value: "" },
  ...SEVERITIES.map((value) => ({ label: `${SEVERITY_LABELS[value]}: ${SEVERITY_MEANING[value]}`, value })),
];

type Field = "order" | "category" | "severity" | "happenedOn" | "note";

export default function NewIncident() {
  const result = useActionData<typeof action>() as NewIncidentActionData | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [values, setValues] = useState<Record<Field, string>>({
    order: params.get("order") ?? "",
    category: "",
    severity: "",
    happenedOn: "",
    note: "",
  });
  const errors = result?.fieldErrors ?? {};
  const submitting = navigation.state === "submitting";
  // Each field posts under its own name and shows the action's message for that name.
  const field = (name: Field) => ({
    name,
    value: values[name],
    onChange: (value: string) => setValues((v) => ({ ...v, [name]: value })),
    error: errors[name],
  });

  return (
    <Page title="Report an incident" backAction={{ content: "Incidents", url: "/app/incidents" }}>
      <TitleBar title="Report an incident" />
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
                    {...field("order")}
                    autoComplete="off"
                    helpText="The order's name as shown in Shopify, for example #1001."
                  />
                  <Select label="What went wrong" {...field("category")} options={CATEGORY_OPTIONS} />
                  <Select
                    label="Severity"
                    {...field("severity")}
                    options={SEVERITY_OPTIONS}
                    helpText="Severity picks the row of your compensation grid."
                  />
                  <TextField
                    label="When did it happen"
                    {...field("happenedOn")}
                    type="date"
                    autoComplete="off"
                    helpText="The day the customer was let down, in your store's time zone. Leave it empty for today."
                  />
                  <TextField
                    label="Note"
                    {...field("note")}
                    multiline={3}
                    autoComplete="off"
                    maxLength={1000}
                    helpText="What the customer told you, and how they got in touch. Kept with the incident as its evidence."
                  />
                  <Button submit variant="primary" loading={submitting}>
                    Report incident
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
