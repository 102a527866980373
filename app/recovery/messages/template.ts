/**
 * A tiny template filler for plain-text messages: {{name}} placeholders from
 * a fixed list. Values go in literally (no escaping: these are not HTML, and
 * a value is never read as a template itself). Unknown names, missing values
 * and stray braces are errors with a clear message, so a merchant's typo is
 * caught when the template is saved, not when a customer gets "{{frist}}".
 */
import { RecoveryError } from "../errors";

export const PLACEHOLDERS = ["firstName", "orderName", "problem", "offer", "code", "amount", "expiry"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Partial<Record<Placeholder, string>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

const isPlaceholder = (name: string): name is Placeholder => (PLACEHOLDERS as readonly string[]).includes(name);

/** The placeholders a template uses, in order of first use; throws on unknown names or stray braces. */
export function templatePlaceholders(template: string, allowed: readonly Placeholder[] = PLACEHOLDERS): Placeholder[] {
  const stray = template.replace(PLACEHOLDER, "");
  if (stray.includes("{{") || stray.includes("}}")) {
    throw new RecoveryError(
      "MALFORMED_TEMPLATE",
      `Unmatched "{{" or "}}" in template: ${JSON.stringify(excerpt(stray))}`,
    );
  }
  const found: Placeholder[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? "";
    if (!isPlaceholder(name) || !allowed.includes(name)) {
      throw new RecoveryError(
        "UNKNOWN_PLACEHOLDER",
        `Unknown placeholder {{${name}}}; allowed here: ${allowed.map((p) => `{{${p}}}`).join(", ")}`,
      );
    }
    if (!found.includes(name)) found.push(name);
  }
  return found;
}

/** The text around the first stray brace pair, to point at it in the error. */
function excerpt(text: string): string {
  const at = [text.indexOf("{{"), text.indexOf("}}")]
    .filter((i) => i >= 0)
    .reduce((a, b) => Math.min(a, b), text.length);
  return text.slice(Math.max(0, at - 20), at + 22);
}

export function fillTemplate(
  template: string,
  values: TemplateValues,
  allowed: readonly Placeholder[] = PLACEHOLDERS,
): string {
  for (const name of templatePlaceholders(template, allowed)) {
    if (values[name] === undefined)
      throw new RecoveryError("MISSING_PLACEHOLDER_VALUE", `The template uses {{${name}}} but no value was given`);
  }
  return template.replace(PLACEHOLDER, (_match, name: string) => values[name as Placeholder] ?? "");
}

/** Problems with a template, for a form field; empty when it is fine. */
export function templateErrors(template: string, allowed: readonly Placeholder[] = PLACEHOLDERS): string[] {
  try {
    templatePlaceholders(template, allowed);
    return [];
  } catch (error) {
    if (error instanceof RecoveryError) return [error.message];
    throw error;
  }
}
