/** When Amends opens an incident: the handling time, business days, which failures and orders count. */
import { INCIDENT_TYPES, STORE_CANCEL_REASONS } from "../../recovery";
import { INCIDENT_TYPE_LABELS, STORE_CANCEL_REASON_LABELS } from "../../recovery/words";
import { Columns, SettingsSection, type FormKit } from "./form-kit";
import { HolidayPicker, TagPicker, WeekdayRow } from "./pickers";

/** The shop's own tags, read live from Shopify for the pickers (empty when they could not be read). */
export interface ShopTags {
  order: readonly string[];
  customer: readonly string[];
  unavailable: boolean;
}

export function DetectionCard({ form, today, tags }: { form: FormKit; today: Date; tags: ShopTags }) {
  const { number, checklist, checkbox } = form;
  const unreadable = tags.unavailable ? " Your store's tags could not be read from Shopify just now: type a tag." : "";
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
      <WeekdayRow form={form} path="detection.weekendDays" label="Days you don't ship (weekends)" />
      <HolidayPicker form={form} path="detection.holidays" today={today} />
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
        <TagPicker
          form={form}
          path="detection.excludedOrderTags"
          label="Excluded order tags"
          helpText={`Orders with any of these tags never open an incident.${unreadable}`}
          suggestions={tags.order}
        />
        <TagPicker
          form={form}
          path="detection.excludedCustomerTags"
          label="Excluded customer tags"
          helpText={`Customers with any of these tags (staff accounts, for example) are left out.${unreadable}`}
          suggestions={tags.customer}
        />
      </Columns>
    </SettingsSection>
  );
}
