/** How valuable a customer is: the order counts and lifetime spend that make them loyal or VIP. */
import { TIER_LABELS } from "../../recovery/words";
import { Columns, SettingsSection, type FormKit } from "./form-kit";

export function TiersCard({ form }: { form: FormKit }) {
  const { number, money, groupError } = form;
  const { NEW, LOYAL, VIP } = TIER_LABELS;
  return (
    <SettingsSection
      title="Customer tiers"
      description="How valuable a customer is, from their lifetime spend and number of orders. A customer reaches a tier by either figure."
    >
      {number(
        "tiers.newMaxEarlierOrders",
        `${NEW} customer: at most`,
        "Customers with at most this many orders before the one that went wrong are NEW; guests are always NEW.",
        "earlier orders",
      )}
      <Columns>
        {number("tiers.loyal.minOrders", `${LOYAL} from`, "Orders that make a customer LOYAL.", "orders")}
        {money("tiers.loyal.minSpendMinor", `${LOYAL} from spend`, "Lifetime spend that makes a customer LOYAL.")}
        {number("tiers.vip.minOrders", `${VIP} from`, "Orders that make a customer VIP.", "orders")}
        {money("tiers.vip.minSpendMinor", `${VIP} from spend`, "Lifetime spend that makes a customer VIP.")}
      </Columns>
      {groupError("tiers.vip")}
      {groupError("tiers")}
    </SettingsSection>
  );
}
