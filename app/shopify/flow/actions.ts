/**
 * Amends's Flow action "Open recovery incident": the fields its extension declares
 * (extensions/open-recovery-incident/shopify.extension.toml, checked by triggers.test.ts) and the
 * zod schema of the request body Flow POSTs to the runtime URL.
 *
 * Flow sends `{shop_id, shopify_domain, action_run_id, action_definition_id, handle, properties}`;
 * an order_reference field arrives as `properties.order_id` (a numeric id, as a string or number),
 * custom fields under their `key`. Flow adds keys of its own to properties (step_reference), so
 * unknown property keys are allowed.
 */
import { z } from "zod";
import { MANUAL_CATEGORIES, SEVERITIES } from "../../recovery";

export const OPEN_INCIDENT_ACTION = "open-recovery-incident";
const MAX_NOTE_LENGTH = 2_000;

export type ActionField =
  | { type: "order_reference"; required: boolean; description: string }
  | {
      type: "single_line_text_field" | "multi_line_text_field";
      key: string;
      name: string;
      description: string;
      required: boolean;
    };

export const OPEN_INCIDENT_FIELDS: readonly ActionField[] = [
  { type: "order_reference", required: true, description: "The order the customer complained about" },
  {
    type: "single_line_text_field",
    key: "incident_type",
    name: "Incident type",
    description: `One of ${MANUAL_CATEGORIES.join(", ")}`,
    required: true,
  },
  {
    type: "single_line_text_field",
    key: "severity",
    name: "Severity",
    description: `One of ${SEVERITIES.join(", ")}`,
    required: true,
  },
  {
    type: "multi_line_text_field",
    key: "note",
    name: "Note",
    description: "What happened, kept with the incident as evidence (up to 2,000 characters)",
    required: false,
  },
];

/** "Damaged item", "damaged-item", "DAMAGED_ITEM" all name DAMAGED_ITEM: merchants type these in Flow. */
const normalized = (value: unknown) =>
  typeof value === "string"
    ? value
        .trim()
        .toUpperCase()
        .replace(/[\s-]+/g, "_")
    : value;

export const openIncidentProperties = z.looseObject({
  order_id: z
    .union([z.string().regex(/^\d{1,20}$/), z.number().int().positive()], {
      error: "order_id must be the order's numeric id",
    })
    .transform((id) => `gid://shopify/Order/${id}`),
  incident_type: z.preprocess(
    normalized,
    z.enum(MANUAL_CATEGORIES, { error: `incident_type must be one of ${MANUAL_CATEGORIES.join(", ")}` }),
  ),
  severity: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(SEVERITIES, { error: `severity must be one of ${SEVERITIES.join(", ")}` }),
  ),
  note: z
    .string({ error: "note must be text" })
    .max(MAX_NOTE_LENGTH, { error: `note must be at most ${MAX_NOTE_LENGTH} characters` })
    .nullish()
    .transform((n) => n?.trim() ?? ""),
});

export const openIncidentRequest = z.looseObject({
  shopify_domain: z.string().min(1),
  action_run_id: z.string().min(1).max(255),
  handle: z.literal(OPEN_INCIDENT_ACTION, { error: `handle must be ${OPEN_INCIDENT_ACTION}` }),
  properties: openIncidentProperties,
});
export type OpenIncidentRequest = z.output<typeof openIncidentRequest>;
