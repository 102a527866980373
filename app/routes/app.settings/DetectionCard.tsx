/** When Amends opens an incident: the handling time, business days, which failures and orders count. */
import { ChoiceList, TextField } from "@shopify/polaris";
import { INCIDENT_TYPES, STORE_CANCEL_REASONS } from "../../recovery";
import { INCIDENT_TYPE_LABELS, STORE_CANCEL_REASON_LABELS } from "../../recovery/words";
import { Columns, SettingsSection, type FormKit } from "./form-kit";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export function DetectionCard({ form }: { form: FormKit }) {
  const { values, errors, set, field, number, checklist, checkbox, locked, help } = form;
  return (
    <SettingsSection
      title="Detection"
      description="When Amends opens an incident. Orders are checked against your promised handling time, counted in business days."
    >
      <Columns>
        {number(
          "detection.handlingDays",
          "Handling time",
          "Business days you promise to ship in; an order still unshipped after that is late.",
          "business days",
        )}
        {number(
          "detection.attemptedDeliveryThreshold",
          "Failed delivery attempts",
          "Attempts on one parcel before it counts as a failed delivery.",
          "attempts",
        )}
      </Columns>
      <ChoiceList
        title={`Days you don't ship (weekends)${locked("detection.weekendDays") ? ` (${help("detection.weekendDays")})` : ""}`}
        disabled={locked("detection.weekendDays") !== null}
        allowMultiple
        choices={WEEKDAYS.map((label, day) => ({ label, value: String(day) }))}
        selected={values.detection.weekendDays.map(String)}
        onChange={(selected) => set("detection.weekendDays", selected.map(Number).sort())}
        error={errors["detection.weekendDays"]}
      />
      <TextField
        label="Holidays"
        helpText={help(
          "detection.holidays",
          "Dates you don't ship, as YYYY-MM-DD separated by commas, like 2026-12-25, 2027-01-01. They don't count as business days.",
        )}
        multiline={2}
        {...field("detection.holidays")}
      />
      {checklist(
        "decision.enabledIncidentTypes",
        "Incidents Amends acts on",
        INCIDENT_TYPES.map((type) => ({ label: INCIDENT_TYPE_LABELS[type], value: type })),
      )}
      {checklist(
        "detection.cancellationReasons",
        "Store cancellation reasons that count",
        STORE_CANCEL_REASONS.map((reason) => ({ label: STORE_CANCEL_REASON_LABELS[reason], value: reason })),
      )}
      {checkbox(
        "detection.countReturnRefunds",
        "Count refunds for customer returns",
        "Off by default: a return the customer asked for is not a service failure.",
      )}
      <Columns>
        <TextField
          label="Excluded order tags"
          helpText={help(
            "detection.excludedOrderTags",
            "Orders with any of these tags never open an incident. Separate tags with commas.",
          )}
          {...field("detection.excludedOrderTags")}
        />
        <TextField
          label="Excluded customer tags"
          helpText={help(
            "detection.excludedCustomerTags",
            "Customers with any of these tags (staff accounts, for example) are left out.",
          )}
          {...field("detection.excludedCustomerTags")}
        />
      </Columns>
    </SettingsSection>
  );
}
