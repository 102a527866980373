/** Lifecycle stages (decision 0115): when a returning customer counts as lapsed, and as a frequent buyer. */
import { Columns, SettingsSection, type FormKit } from "./form-kit";

export function LifecycleCard({ form }: { form: FormKit }) {
  const { number, groupError } = form;
  return (
    <SettingsSection
      title="Lifecycle stages"
      description="Where the order that went wrong sits in the customer's history: their first order, a return after a long gap (lapsed), a frequent buyer, or any other returning customer. The grid can give each stage its own make-good; guests have no stage and get the base grid."
    >
      <Columns>
        {number(
          "lifecycle.lapsedAfterDays",
          "Lapsed after",
          "A customer whose previous order was more than this many days before the one that went wrong is lapsed.",
          "days",
        )}
        {number(
          "lifecycle.frequentMinEarlierOrders",
          "Frequent buyer from",
          "Customers with at least this many orders before the one that went wrong are frequent buyers (unless lapsed).",
          "earlier orders",
        )}
      </Columns>
      {groupError("lifecycle")}
    </SettingsSection>
  );
}
