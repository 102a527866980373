/**
 * What the customer reads: a template around two texts, what went wrong (per incident type) and
 * the make-good (per offer kind). One of each is edited at a time, beside a live preview.
 */
import { Banner, BlockStack, Box, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { INCIDENT_TYPES, type IncidentType } from "../../recovery";
import {
  OFFER_PLACEHOLDERS,
  OFFER_TEXT_KEYS,
  PROBLEM_PLACEHOLDERS,
  SUBJECT_PLACEHOLDERS,
  TEMPLATE_KEYS,
  TEMPLATE_LABELS,
  TEMPLATE_PLACEHOLDERS,
  type OfferTextKey,
} from "../../recovery/messages/overrides";
import { INCIDENT_TYPE_LABELS, OFFER_TEXT_LABELS } from "../../recovery/words";
import { previewMessage } from "../../settings-form";
import { Columns, HiddenTextErrors, SettingsSection, type FormKit } from "./form-kit";
import { TemplateField } from "./pickers";

const placeholders = (names: readonly string[]) => names.map((n) => `{{${n}}}`).join(", ");

function Preview({ preview, currency }: { preview: ReturnType<typeof previewMessage>; currency: string }) {
  return (
    <Box background="bg-surface-secondary" padding="400" borderRadius="200">
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Preview
        </Text>
        {preview.ok ? (
          <BlockStack gap="200">
            <Text as="p" fontWeight="semibold">
              <span data-testid="preview-subject">{preview.subject}</span>
            </Text>
            <div data-testid="preview-body" style={{ whiteSpace: "pre-wrap" }}>
              {preview.body}
            </div>
            <Text as="p" tone="subdued">
              Sample: Ana, order #1042, in {currency}.
            </Text>
          </BlockStack>
        ) : (
          <Banner tone="warning" title="The preview can't be shown yet">
            <p>{preview.problem}</p>
          </Banner>
        )}
      </BlockStack>
    </Box>
  );
}

export function MessagesCard({
  form,
  shop,
  now,
}: {
  form: FormKit;
  shop: { currency: string; timeZone: string };
  now: string;
}) {
  const { values, errors, help } = form;
  const [templateKey, setTemplateKey] = useState(TEMPLATE_KEYS[0] ?? "standard");
  const [incidentType, setIncidentType] = useState<IncidentType>("LATE_FULFILLMENT");
  const [offerKey, setOfferKey] = useState<OfferTextKey>("DISCOUNT_PERCENT");
  const preview = previewMessage(values.messages, { templateKey, incidentType, offerKey }, shop, new Date(now));
  const texts = [
    {
      path: `messages.templates.${templateKey}.subject`,
      label: "Subject",
      help: `May use ${placeholders(SUBJECT_PLACEHOLDERS)}.`,
      lines: 1,
      variables: SUBJECT_PLACEHOLDERS,
    },
    {
      path: `messages.templates.${templateKey}.body`,
      label: "Message",
      help: `Must include {{offer}}; may use ${placeholders(TEMPLATE_PLACEHOLDERS)}.`,
      lines: 8,
      variables: TEMPLATE_PLACEHOLDERS,
    },
    {
      path: `messages.problems.${incidentType}`,
      label: `What went wrong: ${INCIDENT_TYPE_LABELS[incidentType]}`,
      help: `Fills {{problem}}; may use ${placeholders(PROBLEM_PLACEHOLDERS)}.`,
      lines: 3,
      variables: PROBLEM_PLACEHOLDERS,
    },
    {
      path: `messages.offers.${offerKey}`,
      label: `The make-good: ${OFFER_TEXT_LABELS[offerKey]}`,
      help: `Fills {{offer}}; may use ${placeholders(OFFER_PLACEHOLDERS[offerKey])}.`,
      lines: 3,
      variables: OFFER_PLACEHOLDERS[offerKey],
    },
  ];
  // Problems of texts not on screen would otherwise go unseen.
  const shown = new Set(texts.map((t) => t.path));
  // The acknowledgement's texts have their own card (AcknowledgementCard).
  const hiddenErrors = Object.entries(errors).filter(
    ([path]) => path.startsWith("messages.") && !path.startsWith("messages.acknowledgement") && !shown.has(path),
  );

  return (
    <SettingsSection
      title="Messages"
      description="What the customer reads. A message is the template around two texts: what went wrong (per incident) and the make-good (per offer kind). Edit any of them; the preview updates as you type."
    >
      <Columns count={3}>
        <Select
          label="Template"
          options={TEMPLATE_KEYS.map((k) => ({ label: TEMPLATE_LABELS[k] ?? k, value: k }))}
          value={templateKey}
          onChange={setTemplateKey}
        />
        <Select
          label="Incident"
          options={INCIDENT_TYPES.map((t) => ({ label: INCIDENT_TYPE_LABELS[t], value: t }))}
          value={incidentType}
          onChange={(v) => setIncidentType(v as IncidentType)}
        />
        <Select
          label="Offer kind"
          options={OFFER_TEXT_KEYS.map((k) => ({ label: OFFER_TEXT_LABELS[k], value: k }))}
          value={offerKey}
          onChange={(v) => setOfferKey(v as OfferTextKey)}
        />
      </Columns>
      <HiddenTextErrors title="Other message texts need fixing" errors={hiddenErrors} prefix="messages." />
      <Columns>
        <BlockStack gap="300">
          {texts.map((t) => (
            <TemplateField
              key={t.path}
              form={form}
              path={t.path}
              label={t.label}
              helpText={help(t.path, t.help)}
              lines={t.lines}
              variables={t.variables}
            />
          ))}
        </BlockStack>
        <Preview preview={preview} currency={shop.currency} />
      </Columns>
    </SettingsSection>
  );
}
