/**
 * The settings page: one card per section of the stored settings (each beside this file). The page
 * keeps the form state and submits only the sections that changed.
 */
import type { MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { FormSaveBar, useFeedback } from "../../components/Feedback";
import type { FieldErrors } from "../../forms";
import { changedSections, protectedDataNote, type SettingsValues } from "../../settings-form";
import { AcknowledgementCard } from "./AcknowledgementCard";
import { ApprovalsCard } from "./ApprovalsCard";
import { AttributionCard } from "./AttributionCard";
import { DetectionCard } from "./DetectionCard";
import { formKit } from "./form-kit";
import { GuardrailsCard } from "./GuardrailsCard";
import { HistoryCard } from "./HistoryCard";
import { MessagesCard } from "./MessagesCard";
import { NotificationsCard } from "./NotificationsCard";
import type { loader, SettingsActionData } from "./route.server";
import { SeverityCard } from "./SeverityCard";
import { TiersCard } from "./TiersCard";
import { LifecycleCard } from "./LifecycleCard";

export { action, loader, type SettingsActionData } from "./route.server";

export const meta: MetaFunction = () => [{ title: "Settings · Amends" }];

// A test send changes nothing the page shows; reloading would only throw away unsaved edits.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "testEmail" ? false : defaultShouldRevalidate;

export default function SettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const feedback = useFeedback();
  const save = useFetcher<SettingsActionData>({ key: "settings-save" });
  const test = useFetcher<SettingsActionData>({ key: "settings-test-email" });
  const serialized = JSON.stringify(loaded.values);
  const initial = useMemo(() => JSON.parse(serialized) as SettingsValues, [serialized]);
  const [values, setValues] = useState<SettingsValues>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const [testTo, setTestTo] = useState(loaded.viewerEmail);

  // Newly loaded settings (after a save) become the form's starting point.
  useEffect(() => {
    setValues(initial);
  }, [initial]);

  useEffect(() => {
    const result = save.data;
    if (save.state !== "idle" || !result || result.intent !== "save") return;
    if (result.ok) {
      setErrors({});
      setFormMessage(null);
      feedback.toast("Settings saved");
    } else {
      setErrors(result.fieldErrors);
      setFormMessage(result.message);
      feedback.toast(result.message, { error: true });
    }
    // feedback is stable; the result is handled once per response.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [save.state, save.data]);

  useEffect(() => {
    const result = test.data;
    if (test.state !== "idle" || !result || result.intent !== "testEmail") return;
    feedback.toast(result.ok ? `Test message sent to ${result.to}` : result.message, { error: !result.ok });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [test.state, test.data]);

  const changed = changedSections(initial, values);
  const submit = () => {
    // Only the sections that changed: a colleague's edit of another section is never overwritten.
    const payload = Object.fromEntries(changed.map((section) => [section, values[section]]));
    save.submit({ intent: "save", payload: JSON.stringify(payload) }, { method: "post" });
  };
  const discard = () => {
    setValues(initial);
    setErrors({});
    setFormMessage(null);
  };

  const { shop, viewer } = loaded;
  const form = formKit({
    values,
    setValues,
    errors,
    defaults: loaded.defaults,
    currency: shop.currency,
    level: viewer.level,
  });

  return (
    <Page
      title="Settings"
      subtitle={`Times are in your store's time zone (${shop.timeZone}); money in ${shop.currency}.`}
    >
      <TitleBar title="Settings" />
      <FormSaveBar
        id="settings-save-bar"
        dirty={changed.length > 0}
        saving={save.state !== "idle"}
        onSave={submit}
        onDiscard={discard}
      />
      <Layout>
        {formMessage ? (
          <Layout.Section>
            <Banner tone="critical" title={formMessage}>
              <p>Nothing was saved. Each setting that needs fixing says why below.</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <DetectionCard form={form} />
        <SeverityCard form={form} />
        <TiersCard form={form} />
        <LifecycleCard form={form} />
        <GuardrailsCard form={form} budget={loaded.budget} unavailable={loaded.unavailableKinds} />
        <ApprovalsCard form={form} staff={loaded.staff} viewer={viewer} />
        <MessagesCard form={form} shop={shop} now={loaded.now} />
        <AcknowledgementCard form={form} />
        <NotificationsCard
          form={form}
          flow={loaded.flow}
          protectedData={protectedDataNote(loaded.protectedDataDeniedAt, shop.timeZone)}
          passwordStored={loaded.email?.passwordStored ?? false}
          emailSaved={loaded.email !== null}
          emailDirty={JSON.stringify(values.offers.email) !== JSON.stringify(initial.offers.email)}
          testTo={testTo}
          setTestTo={setTestTo}
          test={test}
        />
        <AttributionCard form={form} />
        <HistoryCard rows={loaded.history} />
      </Layout>
    </Page>
  );
}
