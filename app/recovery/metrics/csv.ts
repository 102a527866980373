/**
 * CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break in
 * double quotes, quotes doubled) that is also safe to open in a spreadsheet: a text cell that
 * starts with = + - @ (or a tab or carriage return) would be read as a formula, so it gets a
 * leading apostrophe (OWASP's "CSV injection" advice). Numbers are written as numbers.
 */

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export const CSV_LINE_END = "\r\n";

export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(",") + CSV_LINE_END;
}
