/**
 * Editing one grid cell in a modal. The cell is checked as the merchant types (the same
 * schema the server applies on save), each message beside its field; "Done" puts the cell in
 * the draft even when it has problems, so they also show beside the cell in the table and the
 * merchant can come back to them. "Try another make-good (experiment)" turns the cell into an
 * experiment (decision 0119): its make-good is arm A, and arms B to D are edited below it.
 */
import {
  BlockStack,
  Box,
  Button,
  Checkbox,
  Divider,
  InlineError,
  InlineStack,
  Modal,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useMemo, useState } from "react";
import { fieldErrorsOf } from "../../forms";
import {
  blankCellDraft,
  cellDraftSchema,
  EMPTY_PREFERRED_KIND,
  withArmAdded,
  withArmChanged,
  withArmRemoved,
  withExperimentStarted,
  withTimingExperimentStarted,
  type CellDraft,
  type PreferredKindDraft,
} from "../../recovery/grid/editing";
import { ARM_LETTERS, MAX_ARMS, type ArmTiming } from "../../recovery/experiments/arms-field";
import { preferableKindOf, PREFERABLE_KINDS, type PreferableKind } from "../../recovery/preference/preference";
import type { PickedVariant } from "./GiftProductPicker";
import { armWithKind, OfferFields } from "./OfferFields";
import { cellTitle, scopeAudience, type CellAddress } from "../../recovery/grid/cell-address";

const TIMING_OPTIONS = [
  { value: "NOW", label: "At once" },
  { value: "NEXT_MORNING", label: "The next morning (09:00 shop time)" },
];
const TIMING_HELP =
  "When the make-good is issued. The acknowledgement goes at once either way; the next morning is 09:00 in the shop's time zone on the day after the incident is decided.";

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
  /** `picked`: the titles of gift variants chosen here (the cell's own or an arm's), by id. */
  onDone(cell: CellDraft, picked: Record<string, string>): void;
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
  const [picked, setPicked] = useState<Record<string, string>>({});
  const pick = (variant: PickedVariant) => setPicked((p) => ({ ...p, [variant.id]: variant.title }));
  const titleOf = (variantId: string) => picked[variantId] ?? variantTitles[variantId];
  const set = (patch: Partial<CellDraft>) => setCell((c) => ({ ...c, ...patch }));
  const errors = useMemo(() => {
    const parsed = cellDraftSchema(currency).safeParse(cell);
    return parsed.success ? {} : fieldErrorsOf(parsed.error);
  }, [cell, currency]);

  const setEquivalent = (kind: PreferableKind, text: string) =>
    setCell((c) => ({ ...c, preferredKind: { ...(c.preferredKind ?? EMPTY_PREFERRED_KIND), [kind]: text } }));
  const ownPreferable = preferableKindOf(cell.kind);
  const experiment = cell.experiment;

  const inOverride = address.scope !== "BASE";
  const secondary = [{ content: "Cancel", onAction: onClose }];
  if (overridden) secondary.push({ content: "Remove override", onAction: onRemoveOverride });

  const preferredOption =
    cell.kind !== "NONE" && !experiment ? (
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
    ) : null;

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
          {experiment ? (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Arm A
              </Text>
              <Text as="p" tone="subdued">
                This cell runs an experiment: each customer gets one arm, always the same one, chosen at random. Arm A
                is the make-good below; the other arms follow it.
              </Text>
              <TextField
                label="Arm A label (optional)"
                autoComplete="off"
                value={experiment.labelA}
                onChange={(labelA) => set({ experiment: { ...experiment, labelA } })}
                error={errors["arms.0.label"]}
                helpText="A short name for the dashboard, e.g. “15% code”. Arms are called A, B, C, D otherwise."
              />
              <Select
                label="Arm A issued"
                options={TIMING_OPTIONS}
                value={experiment.timingA ?? "NOW"}
                onChange={(value) => set({ experiment: { ...experiment, timingA: value as ArmTiming } })}
                helpText={TIMING_HELP}
              />
            </BlockStack>
          ) : null}
          <OfferFields
            offer={cell}
            onKind={(kind) => setCell((c) => blankCellDraft(kind, c))}
            onChange={set}
            errors={errors}
            errorPrefix=""
            currency={currency}
            variantTitle={titleOf(cell.variantId)}
            onPick={pick}
            afterExpiry={preferredOption}
          />
          {experiment
            ? experiment.others.map((arm, i) => {
                const index = i + 1;
                const name = `Arm ${ARM_LETTERS[index]}`;
                const change = (next: typeof arm) => setCell((c) => withArmChanged(c, index, next));
                return (
                  <BlockStack gap="300" key={index}>
                    <Divider />
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="h3" variant="headingSm">
                        {name}
                      </Text>
                      <Button variant="plain" tone="critical" onClick={() => setCell((c) => withArmRemoved(c, index))}>
                        {`Remove arm ${ARM_LETTERS[index]}`}
                      </Button>
                    </InlineStack>
                    <TextField
                      label={`${name} label (optional)`}
                      autoComplete="off"
                      value={arm.label}
                      onChange={(label) => change({ ...arm, label })}
                      error={errors[`arms.${index}.label`]}
                    />
                    <Select
                      label={`${name} issued`}
                      options={TIMING_OPTIONS}
                      value={arm.timing ?? "NOW"}
                      onChange={(value) => change({ ...arm, timing: value as ArmTiming })}
                      error={errors[`arms.${index}.timing`]}
                      helpText={TIMING_HELP}
                    />
                    <OfferFields
                      offer={arm.offer}
                      armName={name}
                      onKind={(kind) => change({ ...arm, offer: armWithKind(arm.offer, kind) })}
                      onChange={(patch) => change({ ...arm, offer: { ...arm.offer, ...patch } })}
                      errors={errors}
                      errorPrefix={`arms.${index}.offer.`}
                      currency={currency}
                      variantTitle={titleOf(arm.offer.variantId)}
                      onPick={pick}
                    />
                  </BlockStack>
                );
              })
            : null}
          <Box>
            <BlockStack gap="200">
              {experiment ? <Divider /> : null}
              {errors.arms ? <InlineError message={errors.arms} fieldID="cell-arms" /> : null}
              {!experiment ? (
                <InlineStack gap="200">
                  <Button onClick={() => setCell(withExperimentStarted)} disabled={cell.preferredKind !== undefined}>
                    Try another make-good (experiment)
                  </Button>
                  <Button
                    onClick={() => setCell(withTimingExperimentStarted)}
                    disabled={cell.preferredKind !== undefined}
                  >
                    Try now vs next morning (experiment)
                  </Button>
                </InlineStack>
              ) : experiment.others.length + 1 < MAX_ARMS ? (
                <Button onClick={() => setCell(withArmAdded)}>
                  {`Add arm ${ARM_LETTERS[experiment.others.length + 1]}`}
                </Button>
              ) : null}
              <Text as="p" tone="subdued">
                {!experiment
                  ? cell.preferredKind !== undefined
                    ? "An experiment tries make-goods side by side; turn off the customer's preferred kind to start one."
                    : "Tries another make-good side by side with this one: each customer gets one of them, always the same one, and the dashboard shows which brings customers back."
                  : `Up to ${MAX_ARMS} arms. Changing an arm starts a new experiment; removing every arm after A ends it and keeps arm A as the cell's make-good.`}
              </Text>
            </BlockStack>
          </Box>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
