/**
 * Editing one grid cell in a modal. The cell is checked as the merchant types (the same
 * schema the server applies on save), each message beside its field; "Done" puts the cell in
 * the draft even when it has problems, so they also show beside the cell in the table and the
 * merchant can come back to them.
 */
import { BlockStack, Checkbox, Modal, Select, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { fieldErrorsOf } from "../../forms";
import {
  blankCellDraft,
  cellDraftSchema,
  EMPTY_PREFERRED_KIND,
  MONEY_KINDS,
  type CellDraft,
  type PreferredKindDraft,
} from "../../recovery/grid/editing";
import { preferableKindOf, PREFERABLE_KINDS, type PreferableKind } from "../../recovery/preference/preference";
import { APPROVALS, OFFER_KINDS, type Approval, type OfferKind } from "../../recovery/vocabulary";
import { GiftProductPicker } from "./GiftProductPicker";
import { APPROVAL_LABELS, OFFER_KIND_LABELS } from "../../recovery/words";
import { cellTitle, scopeAudience, type CellAddress } from "./cell-address";
import { TEMPLATE_KEYS, TEMPLATE_LABELS } from "../../recovery/messages/overrides";

/** The templates that exist; a key an old version kept that no longer exists stays visible, to be replaced. */
function templateOptions(current: string) {
  const options = TEMPLATE_KEYS.map((key) => ({ label: TEMPLATE_LABELS[key] ?? key, value: key }));
  return TEMPLATE_KEYS.includes(current)
    ? options
    : [...options, { label: `${current} (no such template)`, value: current }];
}

const EQUIVALENT_LABELS: Record<PreferableKind, string> = {
  DISCOUNT_CODE: "Equivalent discount code",
  STORE_CREDIT: "Equivalent store credit",
  GIFT_CARD: "Equivalent gift card",
};

interface Props {
  address: CellAddress;
  initial: CellDraft;
  /** The cell is an override of its incident type (it can be removed to inherit again). */
  overridden: boolean;
  currency: string;
  variantTitles: Record<string, string>;
  onDone(cell: CellDraft, variantTitle?: { id: string; title: string }): void;
  onRemoveOverride(): void;
  onClose(): void;
}

export function CellEditor({
  address,
  initial,
  overridden,
  currency,
  variantTitles,
  onDone,
  onRemoveOverride,
  onClose,
}: Props) {
  const [cell, setCell] = useState<CellDraft>(initial);
  const [picked, setPicked] = useState<{ id: string; title: string } | undefined>();
  const set = (patch: Partial<CellDraft>) => setCell((c) => ({ ...c, ...patch }));
  const errors = useMemo(() => {
    const parsed = cellDraftSchema(currency).safeParse(cell);
    return parsed.success ? {} : fieldErrorsOf(parsed.error);
  }, [cell, currency]);

  const setEquivalent = (kind: PreferableKind, text: string) =>
    setCell((c) => ({ ...c, preferredKind: { ...(c.preferredKind ?? EMPTY_PREFERRED_KIND), [kind]: text } }));
  const ownPreferable = preferableKindOf(cell.kind);

  const inOverride = address.scope !== "BASE";
  const isMoney = MONEY_KINDS.includes(cell.kind);
  const hasExpiry = cell.kind !== "GIFT_PRODUCT" && cell.kind !== "NONE" && cell.kind !== "REPLACEMENT";
  const secondary = [{ content: "Cancel", onAction: onClose }];
  if (overridden) secondary.push({ content: "Remove override", onAction: onRemoveOverride });

  return (
    <Modal
      open
      onClose={onClose}
      title={`Edit ${cellTitle(address)}`}
      primaryAction={{ content: "Done", onAction: () => onDone(cell, picked) }}
      secondaryActions={secondary}
    >
      <Modal.Section>
        <BlockStack gap="400">
          {inOverride ? (
            <Text as="p" tone="subdued">
              {address.scope === "BASE"
                ? null
                : overridden
                  ? `This cell overrides the base grid for ${scopeAudience(address.scope)}.`
                  : `This cell follows the base grid. Saving a change here makes it an override for ${scopeAudience(address.scope)} only.`}
            </Text>
          ) : null}
          <Select
            label="Make-good"
            options={OFFER_KINDS.map((kind) => ({
              value: kind,
              label: OFFER_KIND_LABELS[kind],
            }))}
            value={cell.kind}
            onChange={(kind) => setCell((c) => blankCellDraft(kind as OfferKind, c))}
          />
          {cell.kind === "DISCOUNT_PERCENT" ? (
            <TextField
              label="Discount"
              suffix="%"
              inputMode="decimal"
              autoComplete="off"
              value={cell.value}
              onChange={(value) => set({ value })}
              error={errors.value}
              helpText="Between 0.01 and 100, at most two decimals."
            />
          ) : null}
          {isMoney ? (
            <TextField
              label="Amount"
              suffix={currency}
              inputMode="decimal"
              autoComplete="off"
              value={cell.value}
              onChange={(value) => set({ value })}
              error={errors.value}
              helpText={`In ${currency}, e.g. 10.00.`}
            />
          ) : null}
          {cell.kind === "GIFT_PRODUCT" ? (
            <>
              <GiftProductPicker
                variantId={cell.variantId}
                variantTitle={picked?.id === cell.variantId ? picked.title : variantTitles[cell.variantId]}
                error={errors["value.variantId"]}
                onPick={(variant) => {
                  setPicked(variant);
                  set({ variantId: variant.id });
                }}
              />
              <TextField
                label="Quantity"
                type="number"
                min={1}
                max={10}
                autoComplete="off"
                value={cell.quantity}
                onChange={(quantity) => set({ quantity })}
                error={errors["value.quantity"]}
              />
            </>
          ) : null}
          {cell.kind === "REPLACEMENT" ? (
            <>
              <Text as="p" tone="subdued">
                Sends the incident&apos;s affected lines again, free, as a completed order to the customer&apos;s
                address: the unfulfilled lines of a late order, the lines of a late or failed parcel, the refunded lines
                of a refund. Lines out of stock stop the replacement until restocked.
              </Text>
              <TextField
                label="Shipping method"
                autoComplete="off"
                value={cell.shippingTitle ?? ""}
                onChange={(shippingTitle) => set({ shippingTitle })}
                error={errors["value.shippingTitle"]}
                helpText="As the replacement order shows it, e.g. Express. Free to the customer."
              />
              <TextField
                label="Shipping cost to the shop"
                suffix={currency}
                inputMode="decimal"
                autoComplete="off"
                value={cell.value}
                onChange={(value) => set({ value })}
                error={errors["value.shippingCostMinor"]}
                helpText={`What the shop pays to ship it, in ${currency}. Counted with the lines' price against the budget and approval limits.`}
              />
            </>
          ) : null}
          {hasExpiry ? (
            <TextField
              label="Expires after (days)"
              type="number"
              min={1}
              autoComplete="off"
              value={cell.expiryDays}
              onChange={(expiryDays) => set({ expiryDays })}
              error={errors.expiryDays}
              helpText={
                cell.kind === "GIFT_CARD"
                  ? "Leave empty for a gift card that never expires (required in some places)."
                  : "Long enough for the customer's next purchase."
              }
            />
          ) : null}
          {cell.kind !== "NONE" ? (
            <BlockStack gap="200">
              <Checkbox
                label="Give the customer's preferred kind"
                checked={cell.preferredKind !== undefined}
                onChange={(on) =>
                  setCell((c) => {
                    if (on) return { ...c, preferredKind: c.preferredKind ?? EMPTY_PREFERRED_KIND };
                    const off = { ...c };
                    delete off.preferredKind;
                    return off;
                  })
                }
                error={errors.preferredKind}
                helpText="A customer who mostly redeemed another kind of make-good before (store credit, a gift card, a code) gets its equivalent instead. Customers without that history get the make-good above."
              />
              {cell.preferredKind
                ? PREFERABLE_KINDS.filter(
                    // The cell's own kind gives its own value; its field shows only to clear a value typed earlier.
                    (kind) => kind !== ownPreferable || (cell.preferredKind as PreferredKindDraft)[kind].trim() !== "",
                  ).map((kind) => (
                    <TextField
                      key={kind}
                      label={EQUIVALENT_LABELS[kind]}
                      suffix={kind === "DISCOUNT_CODE" ? "%" : currency}
                      inputMode="decimal"
                      autoComplete="off"
                      value={(cell.preferredKind as PreferredKindDraft)[kind]}
                      onChange={(text) => setEquivalent(kind, text)}
                      error={errors[`preferredKind.${kind}`]}
                      helpText={
                        kind === "DISCOUNT_CODE"
                          ? "A percent code. Leave empty to give customers who use codes the make-good above."
                          : `In ${currency}, e.g. 10.00. Leave empty if this cell should not give it.`
                      }
                    />
                  ))
                : null}
            </BlockStack>
          ) : null}
          <Select
            label="Who approves"
            options={APPROVALS.map((a) => ({
              value: a,
              label: APPROVAL_LABELS[a],
            }))}
            value={cell.approval}
            onChange={(approval) => set({ approval: approval as Approval })}
            error={errors.approval}
            helpText="The budget, the per-customer limits and the auto-approve ceiling can still ask for more."
          />
          <Select
            label="Message template"
            options={templateOptions(cell.messageTemplateKey)}
            value={cell.messageTemplateKey}
            onChange={(messageTemplateKey) => set({ messageTemplateKey })}
            error={errors.messageTemplateKey}
            helpText="Which message the customer gets. The wording is edited in Settings, Messages."
          />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
