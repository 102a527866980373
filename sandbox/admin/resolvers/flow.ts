/**
 * flowTriggerReceive(handle, payload): records what the app sent to Flow, after checking it the
 * way Flow does. The handle must be one of the app's deployed flow_trigger extensions (the ones
 * under extensions/, as `shopify app deploy` publishes them) and the payload must fit that
 * trigger's declared `[[settings.fields]]`: every declared field present, no other key, each
 * value of a type the field's type allows. The deprecated `body` form is not modelled (Amends
 * uses handle and payload).
 *
 * Refusals are userErrors as Shopify answers them: one error on field ["body"] whose message is
 * "Errors validating schema:\n" then one indented line per problem. The wording of the unknown
 * handle ("Invalid handle 'x'.") and of the size limit ("Properties size exceeds the limit of
 * 50000 bytes.") is Shopify's, as captured from a real store; the lines for a missing, unknown or
 * mistyped property are the sandbox's, in the same envelope.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseToml, type TomlTable } from "../../../app/shopify/flow/toml";
import type { AdminContext } from "../context";
import { notModelled } from "../errors";
import type { Args, UserError } from "./util";

/** Flow's payload limit: 50,000 bytes of JSON (Shopify's own message names the number). */
export const MAX_FLOW_PAYLOAD_BYTES = 50_000;
const EXTENSIONS_DIR = fileURLToPath(new URL("../../../extensions", import.meta.url));

/**
 * A field's type and what a payload value of it may be. Reference fields travel as numeric ids
 * under `order_id` / `customer_id` / `product_id`; custom fields under their key (Shopify's trigger
 * reference lists these custom types for triggers; schema-defined types are not modelled).
 */
const FIELD_TYPES: Record<string, { describe: string; accepts(value: unknown): boolean }> = {
  order_reference: { describe: "an order id (a positive integer)", accepts: isId },
  customer_reference: { describe: "a customer id (a positive integer)", accepts: isId },
  product_reference: { describe: "a product id (a positive integer)", accepts: isId },
  single_line_text_field: { describe: "a string", accepts: (v) => typeof v === "string" },
  email: { describe: "an email address", accepts: (v) => typeof v === "string" && /^[^@\s]+@[^@\s]+$/.test(v) },
  url: { describe: "a URL", accepts: (v) => typeof v === "string" && URL.canParse(v) },
  number_decimal: { describe: "a number", accepts: (v) => typeof v === "number" && Number.isFinite(v) },
  boolean: { describe: "true or false", accepts: (v) => typeof v === "boolean" },
};

function isId(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

export interface DeclaredTriggerField {
  /** The payload key: the custom field's key, or `order_id` etc. for a reference field. */
  key: string;
  type: string;
  required: boolean;
}

let deployed: ReadonlyMap<string, readonly DeclaredTriggerField[]> | undefined;

function fieldsOf(file: string, settings: unknown): DeclaredTriggerField[] {
  const fields = ((settings as TomlTable | undefined)?.fields ?? []) as TomlTable[];
  return fields.map((field) => {
    const type = String(field.type);
    if (!(type in FIELD_TYPES)) throw notModelled(`flow trigger field type ${type} (${file})`);
    const key = type.endsWith("_reference") ? type.replace(/_reference$/, "_id") : String(field.key);
    return { key, type, required: field.required !== false };
  });
}

/** The app's flow_trigger extensions by handle, with their declared fields: what Flow knows after a deploy. */
export function appFlowTriggers(): ReadonlyMap<string, readonly DeclaredTriggerField[]> {
  if (deployed) return deployed;
  const dir = EXTENSIONS_DIR;
  const triggers = new Map<string, readonly DeclaredTriggerField[]>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const config = parseToml(readFileSync(file, "utf8"));
    for (const extension of (config.extensions ?? []) as TomlTable[])
      if (extension.type === "flow_trigger") triggers.set(String(extension.handle), fieldsOf(file, config.settings));
  }
  deployed = triggers;
  return deployed;
}

/** The handles of the app's flow_trigger extensions. */
export function appFlowTriggerHandles(): readonly string[] {
  return [...appFlowTriggers().keys()];
}

/** What is wrong with a payload for these declared fields, one line each (empty when it fits). */
export function payloadProblems(fields: readonly DeclaredTriggerField[], payload: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const declared = new Map(fields.map((f) => [f.key, f]));
  for (const key of Object.keys(payload))
    if (!declared.has(key)) problems.push(`Property '${key}' is not a field of this trigger.`);
  for (const field of fields) {
    if (!(field.key in payload) || payload[field.key] === null) {
      if (field.required) problems.push(`Required property '${field.key}' is missing.`);
      continue;
    }
    const type = FIELD_TYPES[field.type];
    if (type && !type.accepts(payload[field.key]))
      problems.push(`Property '${field.key}' (${field.type}) must be ${type.describe}.`);
  }
  return problems;
}

const refused = (problems: string[]): { userErrors: UserError[] } => ({
  userErrors: [{ field: ["body"], message: `Errors validating schema:\n${problems.map((p) => `  ${p}\n`).join("")}` }],
});

function flowTriggerReceive(_root: unknown, args: Args, ctx: AdminContext) {
  if (args.body !== undefined && args.body !== null)
    throw notModelled("flowTriggerReceive(body:), deprecated; use handle and payload");
  const handle = typeof args.handle === "string" ? args.handle : "";
  const payload = args.payload;
  if (payload === undefined || payload === null || typeof payload !== "object" || Array.isArray(payload))
    return refused(["Payload must be a JSON object."]);
  const size = Buffer.byteLength(JSON.stringify(payload), "utf8");
  if (size > MAX_FLOW_PAYLOAD_BYTES)
    return refused([`Properties size exceeds the limit of ${MAX_FLOW_PAYLOAD_BYTES} bytes.`]);
  const fields = appFlowTriggers().get(handle);
  if (!fields) return refused([`Invalid handle '${handle}'.`]);
  const problems = payloadProblems(fields, payload as Record<string, unknown>);
  if (problems.length) return refused(problems);
  ctx.shop.flowTriggers.push({ handle, payload, receivedAt: ctx.now });
  return { userErrors: [] };
}

export const flowMutations = { flowTriggerReceive };
