/** How Amends measures whether a make-good worked, and when it checks in with the customer. */
import { Columns, SettingsSection, type FormKit } from "./form-kit";

export function AttributionCard({ form }: { form: FormKit }) {
  const { number } = form;
  return (
    <SettingsSection
      title="Attribution and follow-up"
      description="How Amends measures whether a make-good worked, and when it checks in with the customer."
    >
      <Columns>
        {number(
          "attribution.windowDays",
          "Attribution window",
          "A new order within this many days of the failure counts as the customer coming back, for every incident alike, make-good or not.",
          "days",
        )}
        {number(
          "attribution.readoutIncidents",
          "Read the results every",
          "The dashboard reads the holdout comparison once this many incidents have been followed for the full window, then again after the next as many. Larger rounds find smaller lifts but take longer; changing it mid-way starts the rounds over.",
          "incidents",
        )}
        {number(
          "offers.followUpAfterHours",
          "Follow up after",
          "Check in with the customer this long after the make-good is issued (48 to 72 hours works best); skipped when they already bought again.",
          "hours",
        )}
      </Columns>
    </SettingsSection>
  );
}
