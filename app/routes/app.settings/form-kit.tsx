/**
 * What every settings card needs from the page's form state: the values, their errors, and
 * fields bound to a path of the values ("decision.monthlyBudgetMinor") with the default beside them.
 */
import {
  Banner,
  BlockStack,
  Card,
  Checkbox,
  ChoiceList,
  InlineError,
  InlineGrid,
  Layout,
  Text,
  TextField,
} from "@shopify/polaris";
import type { ReactNode } from "react";
import type { FieldErrors } from "../../forms";
import type { SettingsValues } from "../../settings-form";
import type { AuthorityLevel } from "../../recovery";
import { AUTHORITY_HINTS, lockedFor } from "../../recovery/guardrails/settings-authority";

/** A dotted path into the form values, the same as the stored document's. */
export type Path = string;

export function getAt(values: unknown, path: Path): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined),
      values,
    );
}

export function setAt<T>(values: T, path: Path, value: unknown): T {
  const [head, ...rest] = path.split(".");
  if (head === undefined) return values;
  const node = (values ?? {}) as Record<string, unknown>;
  return { ...node, [head]: rest.length === 0 ? value : setAt(node[head], rest.join("."), value) } as T;
}

/** What the signed-in member may change. */
export interface Viewer {
  canManage: boolean;
  isOwner: boolean;
}

export type SetValues = (update: (current: SettingsValues) => SettingsValues) => void;

export interface TextFieldBinding {
  /** The path itself: other pages link to a setting with settingsHref(path), /app/settings/<page>#<path>. */
  id: string;
  value: string;
  onChange(value: string): void;
  error: string | undefined;
  autoComplete: string;
  /** The viewer lacks the level the authority table asks for this setting. */
  disabled: boolean;
}

export interface FormKit {
  values: SettingsValues;
  setValues: SetValues;
  errors: FieldErrors;
  currency: string;
  /** The level a setting needs that the viewer lacks (the authority table), or null when they may change it. */
  locked(path: Path): "MANAGER" | "OWNER" | null;
  /** The help text, led by "Needs manager" / "Needs the account owner" when the viewer may not change it. */
  help(path: Path, text?: string): string | undefined;
  /** Set the value at a path. */
  set(path: Path, value: unknown): void;
  /** A text field's value, change handler and error. */
  field(path: Path): TextFieldBinding;
  /** "Default: 3 days", or "Default: off" for an empty default. */
  defaultOf(path: Path, unit?: string): string;
  money(path: Path, label: string, help: string, optional?: boolean): ReactNode;
  number(path: Path, label: string, help: string, suffix?: string, optional?: boolean): ReactNode;
  /** A yes/no setting. */
  checkbox(path: Path, label: string, help?: string): ReactNode;
  /** A list of values to pick several of (the value at the path is the list picked). */
  checklist(path: Path, title: string, choices: Array<{ label: string; value: string }>): ReactNode;
  /** The message of a rule across several fields (a ladder, the tiers), shown under them. */
  groupError(path: Path): ReactNode;
}

/** One section of a settings page: its title and what it is for beside a card of its fields (Polaris's annotated section). */
export function SettingsSection({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <Layout.AnnotatedSection title={title} description={description}>
      <Card>
        <BlockStack gap="400">{children}</BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

/** Fields side by side on wide screens, stacked on narrow ones. */
export function Columns({ count = 2, children }: { count?: 2 | 3; children: ReactNode }) {
  return (
    <InlineGrid columns={{ xs: 1, md: count }} gap={count === 2 ? "400" : "300"}>
      {children}
    </InlineGrid>
  );
}

/**
 * Errors of texts the card does not show right now (another incident type or offer kind is
 * selected), which would otherwise go unseen: a banner listing each path without `prefix`.
 */
export function HiddenTextErrors({
  title,
  errors,
  prefix,
}: {
  title: string;
  errors: ReadonlyArray<[string, string]>;
  prefix: string;
}) {
  if (errors.length === 0) return null;
  return (
    <Banner tone="critical" title={title}>
      <ul>
        {errors.map(([path, message]) => (
          <li key={path}>{`${path.replace(prefix, "")}: ${message}`}</li>
        ))}
      </ul>
    </Banner>
  );
}

export function formKit(input: {
  values: SettingsValues;
  setValues: SetValues;
  errors: FieldErrors;
  defaults: unknown;
  currency: string;
  /** The viewer's authority: what they may not change is shown disabled, with what it needs. */
  level: AuthorityLevel;
}): FormKit {
  const { values, setValues, errors, defaults, currency, level } = input;
  const set = (path: Path, value: unknown) => setValues((current) => setAt(current, path, value));
  const locked = (path: Path) => lockedFor(level, path);
  const help = (path: Path, text?: string) => {
    const needs = locked(path);
    if (!needs) return text;
    return text ? `${AUTHORITY_HINTS[needs]}. ${text}` : AUTHORITY_HINTS[needs];
  };
  const field = (path: Path): TextFieldBinding => ({
    id: path,
    value: String(getAt(values, path) ?? ""),
    onChange: (value: string) => set(path, value),
    error: errors[path],
    autoComplete: "off",
    disabled: locked(path) !== null,
  });
  const defaultOf = (path: Path, unit = "") => {
    const value = String(getAt(defaults, path) ?? "");
    return value === "" ? "Default: off" : `Default: ${value}${unit}`;
  };
  return {
    values,
    setValues,
    errors,
    currency,
    locked,
    help,
    set,
    field,
    defaultOf,
    money: (path, label, text, optional = false) => (
      <TextField
        label={label}
        inputMode="decimal"
        suffix={currency}
        helpText={help(path, `${text} ${optional ? "Leave empty for none. " : ""}${defaultOf(path, ` ${currency}`)}.`)}
        {...field(path)}
      />
    ),
    number: (path, label, text, suffix, optional = false) => (
      <TextField
        label={label}
        type="text"
        inputMode="decimal"
        suffix={suffix}
        helpText={help(
          path,
          `${text} ${optional ? "Leave empty to skip this level. " : ""}${defaultOf(path, suffix ? ` ${suffix}` : "")}.`,
        )}
        {...field(path)}
      />
    ),
    checkbox: (path, label, text) =>
      locked(path) ? (
        // Polaris greys a disabled checkbox's help text below readable contrast: the hint goes beside it instead.
        <BlockStack gap="100">
          <Checkbox id={path} label={label} checked={getAt(values, path) === true} disabled onChange={() => {}} />
          <Text as="p" tone="subdued">
            {help(path, text)}
          </Text>
        </BlockStack>
      ) : (
        <Checkbox
          id={path}
          label={label}
          helpText={text}
          checked={getAt(values, path) === true}
          onChange={(checked) => set(path, checked)}
        />
      ),
    checklist: (path, title, choices) => (
      // The group carries the path as its id, as every other field does, for links to it (a link
      // focuses its first choice).
      <div id={path}>
        <ChoiceList
          title={locked(path) ? `${title} (${help(path)})` : title}
          disabled={locked(path) !== null}
          allowMultiple
          choices={choices}
          selected={(getAt(values, path) as string[] | undefined) ?? []}
          onChange={(selected) => set(path, selected)}
          error={errors[path]}
        />
      </div>
    ),
    groupError: (path) => (errors[path] ? <InlineError message={errors[path]} fieldID={path} /> : null),
  };
}
