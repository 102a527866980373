/**
 * One settings page (decision 0126): the annotated sections of one part of the settings under their
 * own save bar. The form state holds every value, but only this page's fields can change, and the
 * save submits only the stored sections that changed, through the layout's one action.
 */
import { useFetcher, useLocation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { FormSaveBar, useFeedback } from "../../components/Feedback";
import type { FieldErrors } from "../../forms";
import {
  changedSections,
  protectedDataNote,
  settingsPage,
  type SettingsPageSlug,
  type SettingsValues,
} from "../../settings-form";
import { AcknowledgementCard } from "./AcknowledgementCard";
import { ApprovalsCard } from "./ApprovalsCard";
import { AttributionCard } from "./AttributionCard";
import { DetectionCard } from "./DetectionCard";
import { formKit, type FormKit } from "./form-kit";
import { GuardrailsCard } from "./GuardrailsCard";
import { LifecycleCard } from "./LifecycleCard";
import { MessagesCard } from "./MessagesCard";
import { NotificationsCard } from "./NotificationsCard";
import type { SettingsActionData } from "./route.server";
import { SETTINGS_ACTION, useSettingsData } from "./settings-data";
import { SeverityCard } from "./SeverityCard";
import { TiersCard } from "./TiersCard";

const CONTROLS = "input, textarea, select, button";

/**
 * Bring the field a link names (/app/settings/<page>#<path>) into view and focus it: the field
 * itself, or for a group of choices (its id is on the group) the group's first choice.
 */
function useFocusLinkedField() {
  const { hash } = useLocation();
  useEffect(() => {
    if (!hash) return;
    const element = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!element) return;
    element.scrollIntoView({ block: "center" });
    const control = element.matches(CONTROLS) ? element : element.querySelector<HTMLElement>(CONTROLS);
    (control ?? element).focus({ preventScroll: true });
  }, [hash]);
}

export function SectionPage({
  slug,
  tags,
}: {
  slug: SettingsPageSlug;
  /** The shop's tags for the Detection page's pickers, read live; null on other pages. */
  tags: { order: string[]; customer: string[]; unavailable: boolean } | null;
}) {
  const loaded = useSettingsData();
  const feedback = useFeedback();
  const save = useFetcher<SettingsActionData>({ key: "settings-save" });
  const test = useFetcher<SettingsActionData>({ key: "settings-test-email" });
  const serialized = JSON.stringify(loaded.values);
  const initial = useMemo(() => JSON.parse(serialized) as SettingsValues, [serialized]);
  const [values, setValues] = useState<SettingsValues>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const [testTo, setTestTo] = useState(loaded.viewerEmail);
  useFocusLinkedField();

  // Newly loaded settings (after a save) become the form's starting point; so does another page.
  useEffect(() => {
    setValues(initial);
    setErrors({});
    setFormMessage(null);
  }, [initial, slug]);

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
    // Only the stored sections that changed: a colleague's edit of another section is never overwritten.
    const payload = Object.fromEntries(changed.map((section) => [section, values[section]]));
    save.submit({ intent: "save", payload: JSON.stringify(payload) }, { method: "post", action: SETTINGS_ACTION });
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

  const sections = (form: FormKit) => {
    switch (slug) {
      case "detection":
        return (
          <DetectionCard
            form={form}
            today={new Date(loaded.now)}
            tags={tags ?? { order: [], customer: [], unavailable: true }}
          />
        );
      case "severity":
        return (
          <>
            <SeverityCard form={form} />
            <TiersCard form={form} />
            <LifecycleCard form={form} />
          </>
        );
      case "guardrails":
        return <GuardrailsCard form={form} budget={loaded.budget} unavailable={loaded.unavailableKinds} />;
      case "approvals":
        return <ApprovalsCard form={form} staff={loaded.staff} viewer={viewer} />;
      case "messages":
        return (
          <>
            <MessagesCard form={form} shop={shop} now={loaded.now} />
            <AcknowledgementCard form={form} />
          </>
        );
      case "notifications":
        return (
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
        );
      case "measurement":
        return <AttributionCard form={form} />;
    }
  };

  const page = settingsPage(slug);
  return (
    <Page
      title={page.title}
      subtitle={`Times are in your store's time zone (${shop.timeZone}); money in ${shop.currency}.`}
      backAction={{ content: "Settings", url: "/app/settings" }}
    >
      <TitleBar title={page.title} />
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
              <p>Nothing was saved. Each setting that needs fixing says why beside it.</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {sections(form)}
      </Layout>
    </Page>
  );
}
