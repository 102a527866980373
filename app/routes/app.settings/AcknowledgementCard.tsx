/**
 * The acknowledgement at detection (decision 0113): the target time to first contact and the texts.
 * It goes to every customer of a detected incident alike, make-good or not, so it never mentions one.
 */
import { BlockStack, Select } from "@shopify/polaris";
import { useState } from "react";
import { INCIDENT_TYPES, type IncidentType } from "../../recovery";
import {
  ACKNOWLEDGEMENT_PLACEHOLDERS,
  PROBLEM_PLACEHOLDERS,
  SUBJECT_PLACEHOLDERS,
} from "../../recovery/messages/overrides";
import { INCIDENT_TYPE_LABELS } from "../../recovery/words";
import { Columns, HiddenTextErrors, SettingsSection, type FormKit } from "./form-kit";
import { TemplateField } from "./pickers";

const placeholders = (names: readonly string[]) => names.map((n) => `{{${n}}}`).join(", ");

export function AcknowledgementCard({ form }: { form: FormKit }) {
  const { errors, help, number } = form;
  const [incidentType, setIncidentType] = useState<IncidentType>("LATE_FULFILLMENT");
  const texts = [
    {
      path: "messages.acknowledgement.subject",
      label: "Acknowledgement subject",
      help: `May use ${placeholders(SUBJECT_PLACEHOLDERS)}.`,
      lines: 1,
      variables: SUBJECT_PLACEHOLDERS,
    },
    {
      path: "messages.acknowledgement.body",
      label: "Acknowledgement",
      help: `Must include {{problem}}; may use ${placeholders(ACKNOWLEDGEMENT_PLACEHOLDERS)}. Don't promise a make-good: customers in the holdout get this too.`,
      lines: 6,
      variables: ACKNOWLEDGEMENT_PLACEHOLDERS,
    },
    {
      path: `messages.acknowledgements.${incidentType}`,
      label: `What happened: ${INCIDENT_TYPE_LABELS[incidentType]}`,
      help: `Fills {{problem}}; may use ${placeholders(PROBLEM_PLACEHOLDERS)}.`,
      lines: 3,
      variables: PROBLEM_PLACEHOLDERS,
    },
  ];
  // Problems of the other incident types' texts would otherwise go unseen.
  const shown = new Set(texts.map((t) => t.path));
  const hiddenErrors = Object.entries(errors).filter(
    ([path]) => path.startsWith("messages.acknowledgement") && !shown.has(path),
  );
  return (
    <SettingsSection
      title="Acknowledgement"
      description="A short note that goes to the customer as soon as Amends detects a failure, before any make-good is decided or approved, through the same Flow trigger (Recovery incident detected) and mail server as apologies."
    >
      <Columns>
        {number(
          "offers.acknowledgeWithinMinutes",
          "Acknowledge within",
          "Your target time to first contact; the dashboard shows how often it is met.",
          "minutes",
        )}
        <Select
          label="Acknowledgement for"
          options={INCIDENT_TYPES.map((t) => ({ label: INCIDENT_TYPE_LABELS[t], value: t }))}
          value={incidentType}
          onChange={(v) => setIncidentType(v as IncidentType)}
        />
      </Columns>
      <HiddenTextErrors
        title="Other acknowledgement texts need fixing"
        errors={hiddenErrors}
        prefix="messages.acknowledgements."
      />
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
    </SettingsSection>
  );
}
