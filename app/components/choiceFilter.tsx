/** One Polaris Filters entry backed by a ChoiceList, as the index pages' filters are built. */
import { ChoiceList, type FilterInterface } from "@shopify/polaris";

export interface ChoiceFilterOptions {
  key: string;
  /** The filter's name, also the list's (hidden) title. */
  label: string;
  choices: Array<{ label: string; value: string }>;
  selected: string[];
  onChange(values: string[]): void;
  /** Default true; false for a pick-one filter. */
  allowMultiple?: boolean;
  pinned?: boolean;
  shortcut?: boolean;
}

export function choiceFilter(options: ChoiceFilterOptions): FilterInterface {
  return {
    key: options.key,
    label: options.label,
    ...(options.pinned ? { pinned: true } : {}),
    ...(options.shortcut ? { shortcut: true } : {}),
    filter: (
      <ChoiceList
        title={options.label}
        titleHidden
        allowMultiple={options.allowMultiple ?? true}
        choices={options.choices}
        selected={options.selected}
        onChange={options.onChange}
      />
    ),
  };
}
