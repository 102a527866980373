/**
 * The dashboard's date range: a button showing the range, opening a Popover with the presets and
 * a Polaris DatePicker. Applying writes `from`/`to` (shop-local dates) to the URL, which the
 * loader validates; the picker itself keeps no state the URL does not have.
 */
import { ActionList, BlockStack, Button, DatePicker, InlineStack, Popover, Text } from "@shopify/polaris";
import { useState } from "react";
import { DATE_RANGE_PRESETS, PRESET_LABELS, presetRange, type DateRangePreset } from "../recovery/metrics/date-range";

export interface PickedRange {
  from: string;
  to: string;
}

/** A LocalDate as a Date at local noon, which DatePicker shows as that calendar day in any browser zone. */
const toPickerDate = (date: string) => {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12);
};
const fromPickerDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

export function rangeLabel(range: PickedRange, preset: DateRangePreset | null): string {
  if (preset) return PRESET_LABELS[preset];
  const fmt = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
  const at = (d: string) => fmt.format(new Date(`${d}T12:00:00Z`));
  return range.from === range.to ? at(range.from) : `${at(range.from)} – ${at(range.to)}`;
}

export function DateRangePicker(props: {
  range: PickedRange;
  preset: DateRangePreset | null;
  today: string;
  onApply(range: PickedRange): void;
}) {
  const { range, preset, today, onApply } = props;
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<PickedRange>(range);
  const [month, setMonth] = useState(() => ({
    month: toPickerDate(range.to).getMonth(),
    year: toPickerDate(range.to).getFullYear(),
  }));

  const openPicker = () => {
    setDraft(range);
    setMonth({ month: toPickerDate(range.to).getMonth(), year: toPickerDate(range.to).getFullYear() });
    setOpen(true);
  };
  const apply = (next: PickedRange) => {
    setOpen(false);
    onApply(next);
  };
  const choosePreset = (p: DateRangePreset) => apply(presetRange(p, today));

  const activator = (
    <Button
      onClick={() => (open ? setOpen(false) : openPicker())}
      disclosure
      accessibilityLabel={`Date range: ${rangeLabel(range, preset)}`}
    >
      {rangeLabel(range, preset)}
    </Button>
  );
  return (
    <Popover active={open} activator={activator} onClose={() => setOpen(false)} preferredAlignment="left" fluidContent>
      <Popover.Pane fixed>
        <InlineStack gap="400" wrap={false} blockAlign="start">
          <div style={{ minWidth: 160 }}>
            <ActionList
              actionRole="menuitem"
              items={DATE_RANGE_PRESETS.map((p) => ({
                content: PRESET_LABELS[p],
                active: p === preset,
                onAction: () => choosePreset(p),
              }))}
            />
          </div>
          <div style={{ padding: "var(--p-space-400)", width: 300 }}>
            <BlockStack gap="300">
              <DatePicker
                month={month.month}
                year={month.year}
                onMonthChange={(m, y) => setMonth({ month: m, year: y })}
                selected={{ start: toPickerDate(draft.from), end: toPickerDate(draft.to) }}
                onChange={({ start, end }) =>
                  setDraft({ from: fromPickerDate(start), to: fromPickerDate(end ?? start) })
                }
                allowRange
                disableDatesAfter={toPickerDate(today)}
              />
              <Text as="p" tone="subdued">
                {rangeLabel(draft, null)}
              </Text>
              <InlineStack align="end" gap="200">
                <Button onClick={() => setOpen(false)}>Cancel</Button>
                <Button variant="primary" onClick={() => apply(draft)}>
                  Apply
                </Button>
              </InlineStack>
            </BlockStack>
          </div>
        </InlineStack>
      </Popover.Pane>
    </Popover>
  );
}
