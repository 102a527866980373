/**
 * The settings' pickers (decision 0126): holidays from a date picker and tags from the shop's own
 * tags, each shown as removable tags; a weekday row; an "Insert variable" menu for message texts.
 * The form values stay the text the save path reads ("2026-12-25, 2027-01-01").
 */
import {
  ActionList,
  BlockStack,
  Button,
  Checkbox,
  Combobox,
  DatePicker,
  InlineError,
  InlineStack,
  Listbox,
  Popover,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { useCallback, useMemo, useState } from "react";
import { addListItem, insertAt, isoDate, listItems, removeListItem } from "../../settings-form/editing";
import { getAt, type FormKit, type Path } from "./form-kit";

/** The label of a group of controls, with the hint of what it needs when the viewer may not change it. */
function GroupLabel({ form, path, label }: { form: FormKit; path: Path; label: string }) {
  const needs = form.locked(path) ? form.help(path) : null;
  return (
    <Text as="span" variant="bodyMd">
      {needs ? `${label} (${needs})` : label}
    </Text>
  );
}

function RemovableTags({
  items,
  label,
  disabled,
  onRemove,
}: {
  items: string[];
  label: string;
  disabled: boolean;
  onRemove(item: string): void;
}) {
  if (items.length === 0)
    return (
      <Text as="p" tone="subdued">
        None
      </Text>
    );
  return (
    <InlineStack gap="200">
      {items.map((item) => (
        <Tag
          key={item}
          disabled={disabled}
          onRemove={disabled ? undefined : () => onRemove(item)}
          accessibilityLabel={`${label} ${item}`}
        >
          {item}
        </Tag>
      ))}
    </InlineStack>
  );
}

/** The days of the week the shop does not ship, in one row. */
export function WeekdayRow({ form, path, label }: { form: FormKit; path: Path; label: string }) {
  const names = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const selected = (getAt(form.values, path) as number[] | undefined) ?? [];
  const disabled = form.locked(path) !== null;
  const toggle = (day: number, on: boolean) =>
    form.set(path, on ? [...new Set([...selected, day])].sort() : selected.filter((d) => d !== day));
  return (
    <fieldset id={path} tabIndex={-1} style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
      {/* The legend is the fieldset's first child, so it names the group of checkboxes. */}
      <legend style={{ padding: 0, marginBlockEnd: "var(--p-space-100)" }}>
        <GroupLabel form={form} path={path} label={label} />
      </legend>
      <BlockStack gap="100">
        <InlineStack gap="400" wrap>
          {names.map((name, day) => (
            <Checkbox
              key={name}
              label={name}
              checked={selected.includes(day)}
              disabled={disabled}
              onChange={(on) => toggle(day, on)}
            />
          ))}
        </InlineStack>
        {form.errors[path] ? <InlineError message={form.errors[path]} fieldID={path} /> : null}
      </BlockStack>
    </fieldset>
  );
}

/** Holidays as tags, added one date at a time from a date picker. */
export function HolidayPicker({ form, path, today }: { form: FormKit; path: Path; today: Date }) {
  const text = String(form.field(path).value);
  const disabled = form.locked(path) !== null;
  const [open, setOpen] = useState(false);
  const [{ month, year }, setShown] = useState({ month: today.getMonth(), year: today.getFullYear() });
  return (
    <BlockStack gap="200">
      <GroupLabel form={form} path={path} label="Holidays" />
      <Text as="p" tone="subdued">
        Dates you don&apos;t ship. They don&apos;t count as business days.
      </Text>
      <RemovableTags
        items={listItems(text)}
        label="holiday"
        disabled={disabled}
        onRemove={(item) => form.set(path, removeListItem(text, item))}
      />
      <Popover
        active={open}
        autofocusTarget="first-node"
        onClose={() => setOpen(false)}
        activator={
          <Button id={path} disclosure disabled={disabled} onClick={() => setOpen((o) => !o)}>
            Add a holiday
          </Button>
        }
      >
        <div style={{ padding: "var(--p-space-400)" }}>
          <DatePicker
            month={month}
            year={year}
            onMonthChange={(m, y) => setShown({ month: m, year: y })}
            onChange={({ start }) => {
              form.set(path, addListItem(text, isoDate(start), { sort: true }));
              setOpen(false);
            }}
          />
        </div>
      </Popover>
      {form.errors[path] ? <InlineError message={form.errors[path]} fieldID={path} /> : null}
    </BlockStack>
  );
}

/** Tags to exclude, picked from the shop's own tags (read live from Shopify) or typed. */
export function TagPicker({
  form,
  path,
  label,
  helpText,
  suggestions,
}: {
  form: FormKit;
  path: Path;
  label: string;
  helpText: string;
  suggestions: readonly string[];
}) {
  const text = String(form.field(path).value);
  const disabled = form.locked(path) !== null;
  const picked = listItems(text);
  const [typed, setTyped] = useState("");
  const options = useMemo(() => {
    const query = typed.trim().toLowerCase();
    const taken = new Set(picked.map((p) => p.toLowerCase()));
    return suggestions.filter((s) => !taken.has(s.toLowerCase()) && s.toLowerCase().includes(query)).slice(0, 20);
  }, [typed, picked, suggestions]);
  const add = useCallback(
    (tag: string) => {
      form.set(path, addListItem(text, tag));
      setTyped("");
    },
    [form, path, text],
  );
  const typedIsNew =
    typed.trim() !== "" &&
    !typed.includes(",") &&
    !picked.some((p) => p.toLowerCase() === typed.trim().toLowerCase()) &&
    !options.some((o) => o.toLowerCase() === typed.trim().toLowerCase());
  return (
    <BlockStack gap="200">
      <Combobox
        allowMultiple
        activator={
          <Combobox.TextField
            id={path}
            label={label}
            value={typed}
            onChange={setTyped}
            autoComplete="off"
            disabled={disabled}
            placeholder="Search your tags or type one"
            helpText={form.help(path, helpText)}
            error={form.errors[path]}
          />
        }
      >
        {options.length > 0 || typedIsNew ? (
          <Listbox onSelect={add} accessibilityLabel={`${label}: your store's tags`}>
            {typedIsNew ? <Listbox.Action value={typed.trim()}>{`Add "${typed.trim()}"`}</Listbox.Action> : null}
            {options.map((option) => (
              <Listbox.Option key={option} value={option} selected={false} accessibilityLabel={option}>
                {option}
              </Listbox.Option>
            ))}
          </Listbox>
        ) : null}
      </Combobox>
      <RemovableTags
        items={picked}
        label={label}
        disabled={disabled}
        onRemove={(item) => form.set(path, removeListItem(text, item))}
      />
    </BlockStack>
  );
}

/** A message text with an "Insert variable" menu that puts {{variable}} where the cursor is. */
export function TemplateField({
  form,
  path,
  label,
  helpText,
  lines,
  variables,
}: {
  form: FormKit;
  path: Path;
  label: string;
  helpText: string | undefined;
  lines: number;
  variables: readonly string[];
}) {
  const bound = form.field(path);
  const [open, setOpen] = useState(false);
  const insert = (variable: string) => {
    setOpen(false);
    const element = document.getElementById(path) as HTMLTextAreaElement | HTMLInputElement | null;
    const { text, caret } = insertAt(
      bound.value,
      { start: element?.selectionStart ?? null, end: element?.selectionEnd ?? null },
      `{{${variable}}}`,
    );
    form.set(path, text);
    // After React has put the new text in, the cursor goes right after the variable.
    requestAnimationFrame(() => {
      const after = document.getElementById(path) as HTMLTextAreaElement | HTMLInputElement | null;
      after?.focus();
      after?.setSelectionRange(caret, caret);
    });
  };
  return (
    <BlockStack gap="100">
      <TextField label={label} helpText={helpText} multiline={lines} {...bound} />
      {variables.length > 0 ? (
        <InlineStack>
          <Popover
            active={open}
            onClose={() => setOpen(false)}
            activator={
              <Button
                variant="plain"
                disclosure
                disabled={bound.disabled}
                accessibilityLabel={`Insert variable into ${label}`}
                onClick={() => setOpen((o) => !o)}
              >
                Insert variable
              </Button>
            }
          >
            <ActionList
              actionRole="menuitem"
              items={variables.map((variable) => ({
                content: `{{${variable}}}`,
                onAction: () => insert(variable),
              }))}
            />
          </Popover>
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}
