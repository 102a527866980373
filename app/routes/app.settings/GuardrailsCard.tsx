/** The limits every make-good is checked against: holdout, per-customer limits, auto-approval, the monthly budget. */
import { BlockStack, Select, Text, TextField } from "@shopify/polaris";
import { UnavailableKindsBanner, type UnavailableKindView } from "../../components/UnavailableKindsBanner";
import { FALLBACK_KINDS, fallbackLabel, formatMoney } from "../../recovery";
import { Columns, SettingsSection, type FormKit } from "./form-kit";

export interface BudgetUse {
  month: string;
  spentMinor: number;
  issuedMinor: number;
  committedMinor: number;
  budgetMinor: number | null;
}

export function GuardrailsCard({
  form,
  budget,
  unavailable,
}: {
  form: FormKit;
  budget: BudgetUse;
  unavailable: readonly UnavailableKindView[];
}) {
  const { currency, field, defaultOf, number, money, values, set, locked, help } = form;
  const formatMinor = (minor: number) => formatMoney(minor, currency);
  return (
    <SettingsSection
      title="Offers and guardrails"
      description="Limits every make-good is checked against before it goes out. Above a limit the offer waits for a person instead of being refused."
    >
      <Columns>
        {number(
          "decision.holdoutShare",
          "Holdout share",
          "Share of incidents that get no offer, at random, so you can see whether make-goods bring customers back. 0 to 50.",
          "%",
        )}
        {number(
          "decision.cooldownDays",
          "Cooldown per customer",
          "At most one offer per customer in this many days without a manager.",
          "days",
        )}
        {money(
          "decision.yearlyCapPerCustomerMinor",
          "Yearly cap per customer",
          "Face value one customer may receive in 365 days without a manager.",
          true,
        )}
        {money(
          "decision.autoApproveCeilingMinor",
          "Auto-approve up to",
          "Offers worth more than this wait for staff approval.",
        )}
      </Columns>
      <BlockStack gap="200">
        <TextField
          label="Monthly budget"
          inputMode="decimal"
          suffix={currency}
          helpText={help(
            "decision.monthlyBudgetMinor",
            `Face value issued plus waiting offers per calendar month; an offer that would go over waits for a manager. Leave empty for no budget. ${defaultOf("decision.monthlyBudgetMinor", ` ${currency}`)}.`,
          )}
          {...field("decision.monthlyBudgetMinor")}
        />
        <Text as="p" tone="subdued">
          {`Used so far in ${budget.month}: ${formatMinor(budget.spentMinor)} (${formatMinor(budget.issuedMinor)} issued, ${formatMinor(budget.committedMinor)} waiting)`}
          {budget.budgetMinor === null ? "; no budget set." : ` of ${formatMinor(budget.budgetMinor)}.`}
        </Text>
      </BlockStack>
      <BlockStack gap="200">
        <UnavailableKindsBanner notes={unavailable} />
        <Select
          label="When a make-good cannot be issued on this shop"
          helpText={help(
            "decision.unavailableKindFallback",
            "A kind the shop no longer grants Amends the access for, or store credit where customers cannot spend it (classic customer accounts), is replaced by this, at the same value. A fixed-amount code is used if this one cannot be issued either.",
          )}
          disabled={locked("decision.unavailableKindFallback") !== null}
          options={FALLBACK_KINDS.map((kind) => ({
            label: kind === "NONE" ? "Send the apology message only" : `Give a ${fallbackLabel(kind)} instead`,
            value: kind,
          }))}
          value={values.decision.unavailableKindFallback}
          onChange={(value) => set("decision.unavailableKindFallback", value)}
        />
      </BlockStack>
    </SettingsSection>
  );
}
