/**
 * The fields of one make-good (kind, value, expiry, approval, template): a cell's own, or an
 * experiment arm's (decision 0119). Each message shows beside its field; an arm's fields are
 * named after the arm ("Arm B amount") so every field on the page has its own label.
 */
import { Select, Text, TextField } from "@shopify/polaris";
import { blankOfferDraft, MONEY_KINDS, type OfferDraft } from "../../recovery/grid/editing";
import { APPROVALS, OFFER_KINDS, type Approval, type OfferKind } from "../../recovery/vocabulary";
import { APPROVAL_LABELS, OFFER_KIND_LABELS } from "../../recovery/words";
import { TEMPLATE_KEYS, TEMPLATE_LABELS } from "../../recovery/messages/overrides";
import { GiftProductPicker, type PickedVariant } from "./GiftProductPicker";

/** The templates that exist; a key an old version kept that no longer exists stays visible, to be replaced. */
function templateOptions(current: string) {
  const options = TEMPLATE_KEYS.map((key) => ({ label: TEMPLATE_LABELS[key] ?? key, value: key }));
  return TEMPLATE_KEYS.includes(current)
    ? options
    : [...options, { label: `${current} (no such template)`, value: current }];
}

interface Props {
  offer: OfferDraft;
  /** A new kind: the caller keeps what still applies (blankOfferDraft / blankCellDraft). */
  onKind(kind: OfferKind): void;
  onChange(patch: Partial<OfferDraft>): void;
  /** The cell's field errors, by path. */
  errors: Record<string, string>;
  /** "" for the cell's own fields, "arms.1.offer." for arm B's. */
  errorPrefix: string;
  /** "Arm B" for an arm's fields; absent for the cell's own. */
  armName?: string;
  currency: string;
  variantTitle: string | undefined;
  onPick(variant: PickedVariant): void;
  /** Only the cell's own make-good has the preferred-kind option, shown between expiry and approval. */
  afterExpiry?: React.ReactNode;
}

export function OfferFields({
  offer,
  onKind,
  onChange,
  errors,
  errorPrefix,
  armName,
  currency,
  variantTitle,
  onPick,
  afterExpiry,
}: Props) {
  const label = (text: string) => (armName ? `${armName} ${text.charAt(0).toLowerCase()}${text.slice(1)}` : text);
  const error = (field: string) => errors[`${errorPrefix}${field}`];
  const isMoney = MONEY_KINDS.includes(offer.kind);
  const hasExpiry = offer.kind !== "GIFT_PRODUCT" && offer.kind !== "NONE" && offer.kind !== "REPLACEMENT";
  return (
    <>
      <Select
        label={label("Make-good")}
        options={OFFER_KINDS.map((kind) => ({ value: kind, label: OFFER_KIND_LABELS[kind] }))}
        value={offer.kind}
        onChange={(kind) => onKind(kind as OfferKind)}
      />
      {offer.kind === "DISCOUNT_PERCENT" ? (
        <TextField
          label={label("Discount")}
          suffix="%"
          inputMode="decimal"
          autoComplete="off"
          value={offer.value}
          onChange={(value) => onChange({ value })}
          error={error("value")}
          helpText="Between 0.01 and 100, at most two decimals."
        />
      ) : null}
      {isMoney ? (
        <TextField
          label={label("Amount")}
          suffix={currency}
          inputMode="decimal"
          autoComplete="off"
          value={offer.value}
          onChange={(value) => onChange({ value })}
          error={error("value")}
          helpText={`In ${currency}, e.g. 10.00.`}
        />
      ) : null}
      {offer.kind === "GIFT_PRODUCT" ? (
        <>
          <GiftProductPicker
            variantId={offer.variantId}
            variantTitle={variantTitle}
            error={error("value.variantId")}
            onPick={(variant) => {
              onPick(variant);
              onChange({ variantId: variant.id });
            }}
          />
          <TextField
            label={label("Quantity")}
            type="number"
            min={1}
            max={10}
            autoComplete="off"
            value={offer.quantity}
            onChange={(quantity) => onChange({ quantity })}
            error={error("value.quantity")}
          />
        </>
      ) : null}
      {offer.kind === "REPLACEMENT" ? (
        <>
          <Text as="p" tone="subdued">
            Sends the incident&apos;s affected lines again, free, as a completed order to the customer&apos;s address:
            the unfulfilled lines of a late order, the lines of a late or failed parcel, the refunded lines of a refund.
            Lines out of stock stop the replacement until restocked.
          </Text>
          <TextField
            label={label("Shipping method")}
            autoComplete="off"
            value={offer.shippingTitle ?? ""}
            onChange={(shippingTitle) => onChange({ shippingTitle })}
            error={error("value.shippingTitle")}
            helpText="As the replacement order shows it, e.g. Express. Free to the customer."
          />
          <TextField
            label={label("Shipping cost to the shop")}
            suffix={currency}
            inputMode="decimal"
            autoComplete="off"
            value={offer.value}
            onChange={(value) => onChange({ value })}
            error={error("value.shippingCostMinor")}
            helpText={`What the shop pays to ship it, in ${currency}. Counted with the lines' price against the budget and approval limits.`}
          />
        </>
      ) : null}
      {hasExpiry ? (
        <TextField
          label={label("Expires after (days)")}
          type="number"
          min={1}
          autoComplete="off"
          value={offer.expiryDays}
          onChange={(expiryDays) => onChange({ expiryDays })}
          error={error("expiryDays")}
          helpText={
            offer.kind === "GIFT_CARD"
              ? "Leave empty for a gift card that never expires (required in some places)."
              : "Long enough for the customer's next purchase."
          }
        />
      ) : null}
      {afterExpiry}
      <Select
        label={label("Who approves")}
        options={APPROVALS.map((a) => ({ value: a, label: APPROVAL_LABELS[a] }))}
        value={offer.approval}
        onChange={(approval) => onChange({ approval: approval as Approval })}
        error={error("approval")}
        helpText="The budget, the per-customer limits and the auto-approve ceiling can still ask for more."
      />
      <Select
        label={label("Message template")}
        options={templateOptions(offer.messageTemplateKey)}
        value={offer.messageTemplateKey}
        onChange={(messageTemplateKey) => onChange({ messageTemplateKey })}
        error={error("messageTemplateKey")}
        helpText="Which message the customer gets. The wording is edited in Settings, Messages."
      />
    </>
  );
}

/** An arm's new kind, keeping its approval, template and expiry where they still apply. */
export const armWithKind = (offer: OfferDraft, kind: OfferKind): OfferDraft => blankOfferDraft(kind, offer);
