/** How bad a failure is: the days-late ladders, refund shares, and what raises severity a level. */
import { BlockStack, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import { SEVERITIES } from "../../recovery/vocabulary";
import { INCIDENT_TYPE_LABELS, SEVERITY_LABELS } from "../../recovery/words";
import { Columns, SettingsSection, type FormKit } from "./form-kit";

const SEVERITY_OPTIONS = SEVERITIES.map((s) => ({ label: SEVERITY_LABELS[s], value: s }));

const LADDERS = [
  { key: "lateFulfillment", title: `${INCIDENT_TYPE_LABELS.LATE_FULFILLMENT}: days past the handling time` },
  { key: "deliveryDelay", title: `${INCIDENT_TYPE_LABELS.DELIVERY_DELAY}: days past the promised date` },
] as const;

export function SeverityCard({ form }: { form: FormKit }) {
  const { errors, set, field, defaultOf, number, money, groupError, locked, help } = form;
  const select = (path: "severity.deliveryFailure" | "severity.merchantCancellation", label: string) => (
    <Select
      label={label}
      options={SEVERITY_OPTIONS}
      value={field(path).value}
      onChange={(v) => set(path, v)}
      error={errors[path]}
      disabled={locked(path) !== null}
      helpText={help(path)}
    />
  );
  return (
    <SettingsSection
      title="Severity"
      description="How bad a failure is. Each level starts at the number of days late shown; leave a level empty to never reach it by days alone."
    >
      {LADDERS.map((ladder) => (
        <BlockStack gap="200" key={ladder.key}>
          <Text as="h3" variant="headingSm">
            {ladder.title}
          </Text>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
            {SEVERITIES.map((level) => (
              <TextField
                key={level}
                label={`${SEVERITY_LABELS[level]} from`}
                inputMode="numeric"
                suffix="days"
                helpText={help(`severity.${ladder.key}.${level}`, defaultOf(`severity.${ladder.key}.${level}`))}
                {...field(`severity.${ladder.key}.${level}`)}
              />
            ))}
          </InlineGrid>
          {groupError(`severity.${ladder.key}`)}
        </BlockStack>
      ))}
      <Columns>
        {number(
          "severity.refund.moderateFromPercent",
          "Refund: moderate from",
          "A refund of at least this share of the order is moderate; below it, minor.",
          "%",
        )}
        {number(
          "severity.refund.majorAbovePercent",
          "Refund: major above",
          "A refund of more than this share of the order is major.",
          "%",
        )}
        {select("severity.deliveryFailure", INCIDENT_TYPE_LABELS.DELIVERY_FAILURE)}
        {select("severity.merchantCancellation", INCIDENT_TYPE_LABELS.MERCHANT_CANCELLATION)}
        {number(
          "severity.repeatCustomerWindowDays",
          "Repeat customer window",
          "Another incident of the same customer within this many days raises severity one level. 0 turns it off.",
          "days",
        )}
        {money(
          "severity.highValueOrderMinor",
          "High-value order",
          "Orders above this value raise severity one level.",
          true,
        )}
      </Columns>
    </SettingsSection>
  );
}
