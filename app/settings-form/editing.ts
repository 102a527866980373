/**
 * Pure edits of the settings form's text values behind the pickers (decision 0126): holidays and
 * excluded tags stay comma-separated text in the form (the save path reads them as before), the
 * pickers add and remove items; a template variable goes in at the cursor.
 */

/** The items of a comma- or line-separated list, trimmed, without empties. */
export function listItems(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** The list with the item added once (trimmed; a tag already there in another case is not added again). */
export function addListItem(text: string, item: string, options: { sort?: boolean } = {}): string {
  const items = listItems(text);
  const added = item.trim();
  if (added === "" || added.includes(",") || items.some((i) => i.toLowerCase() === added.toLowerCase()))
    return items.join(", ");
  const next = [...items, added];
  if (options.sort) next.sort();
  return next.join(", ");
}

export function removeListItem(text: string, item: string): string {
  return listItems(text)
    .filter((i) => i !== item)
    .join(", ");
}

/** A calendar date as YYYY-MM-DD, in the local calendar the date picker shows. */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The text with `insertion` replacing the selection [start, end) (clamped to the text), and where
 * the cursor goes after it. A selection out of order is read in order.
 */
export function insertAt(
  text: string,
  selection: { start: number | null; end: number | null },
  insertion: string,
): { text: string; caret: number } {
  const clamp = (n: number | null) => Math.min(Math.max(n ?? text.length, 0), text.length);
  const [start, end] = [clamp(selection.start), clamp(selection.end)].sort((a, b) => a - b) as [number, number];
  return { text: text.slice(0, start) + insertion + text.slice(end), caret: start + insertion.length };
}
