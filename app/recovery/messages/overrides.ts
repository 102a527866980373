/**
 * A shop's own wording for the customer messages, kept in Shop.settings under `messages`.
 * Only texts that differ from the defaults are stored, so a shop that edits one template
 * still gets improvements to every other default text. Overrides are English (the fallback
 * locale): a customer whose language has a built-in translation still gets that translation
 * unless the shop's text is the only one for the template.
 */
import { z } from "zod";
import { INCIDENT_TYPES, OFFER_KINDS, type IncidentType } from "../vocabulary";
import { DEFAULT_MESSAGES, type LocaleMessages, type MessageCatalog } from "./catalog";
import { templateErrors, templatePlaceholders, type Placeholder } from "./template";

export const TEMPLATE_KEYS = Object.keys(DEFAULT_MESSAGES.en.templates);
/** What the settings page and the grid editor call each template. */
export const TEMPLATE_LABELS: Record<string, string> = {
  standard: "Standard",
  personal: "Personal (from the owner)",
  welcome_back: "Welcome back (first-time customers)",
  loyal_perk: "Loyal perk (frequent buyers)",
};
export const OFFER_TEXT_KEYS = [...OFFER_KINDS, "GIFT_CARD_NO_EXPIRY"] as const;
export type OfferTextKey = (typeof OFFER_TEXT_KEYS)[number];

/** Placeholders each kind of text may use: the problem is filled before the offer is known. */
export const PROBLEM_PLACEHOLDERS: readonly Placeholder[] = ["orderName", "firstName"];
/**
 * Per offer text, only the values that kind always has: a {{code}} in the store credit text or an
 * {{expiry}} in the never-expiring gift card text would stop the message from being sent.
 */
export const OFFER_PLACEHOLDERS: Record<OfferTextKey, readonly Placeholder[]> = {
  DISCOUNT_PERCENT: ["code", "amount", "expiry", "firstName", "orderName"],
  DISCOUNT_FIXED: ["code", "amount", "expiry", "firstName", "orderName"],
  STORE_CREDIT: ["amount", "expiry", "firstName", "orderName"],
  GIFT_CARD: ["code", "amount", "expiry", "firstName", "orderName"],
  GIFT_CARD_NO_EXPIRY: ["code", "amount", "firstName", "orderName"],
  GIFT_PRODUCT: ["firstName", "orderName"],
  NONE: ["firstName", "orderName"],
  REPLACEMENT: ["firstName", "orderName"],
};
/** The whole message wraps the problem and offer texts; offer details belong in the offer text. */
export const TEMPLATE_PLACEHOLDERS: readonly Placeholder[] = ["firstName", "orderName", "problem", "offer"];
export const SUBJECT_PLACEHOLDERS: readonly Placeholder[] = ["firstName", "orderName"];
/**
 * The acknowledgement at detection (decision 0113) wraps its per-type text in {{problem}}; it has
 * no offer placeholders, because it goes out before (and whatever) the decision is.
 */
export const ACKNOWLEDGEMENT_PLACEHOLDERS: readonly Placeholder[] = ["firstName", "orderName", "problem"];

/**
 * Offer texts that must name the code: without it the customer is told about a discount or a
 * gift card they cannot use.
 */
const NEEDS_CODE: readonly OfferTextKey[] = ["DISCOUNT_PERCENT", "DISCOUNT_FIXED", "GIFT_CARD", "GIFT_CARD_NO_EXPIRY"];

const MAX_TEXT = 5_000;

function checked(allowed: readonly Placeholder[], required: readonly Placeholder[] = [], allowEmpty = false) {
  return z
    .string()
    .max(MAX_TEXT, `Keep it under ${MAX_TEXT} characters`)
    .superRefine((text, ctx) => {
      if (!allowEmpty && text.trim() === "") {
        ctx.addIssue({ code: "custom", message: "Write this text (or reset it to the default)" });
        return;
      }
      const [problem] = templateErrors(text, allowed);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return;
      }
      const used = templatePlaceholders(text, allowed);
      const missing = required.filter((name) => !used.includes(name));
      if (missing.length > 0)
        ctx.addIssue({
          code: "custom",
          message: `Include ${missing.map((m) => `{{${m}}}`).join(" and ")}: the customer needs it`,
        });
    });
}

const templateSchema = z.object({
  subject: checked(SUBJECT_PLACEHOLDERS),
  // Without {{offer}} the make-good itself would never reach the customer.
  body: checked(TEMPLATE_PLACEHOLDERS, ["offer"]),
});

const problemsShape = Object.fromEntries(
  INCIDENT_TYPES.map((type) => [type, checked(PROBLEM_PLACEHOLDERS).optional()]),
) as Record<IncidentType, z.ZodOptional<ReturnType<typeof checked>>>;
const offersShape = Object.fromEntries(
  OFFER_TEXT_KEYS.map((key) => [
    key,
    checked(OFFER_PLACEHOLDERS[key], NEEDS_CODE.includes(key) ? ["code"] : [], key === "NONE").optional(),
  ]),
) as Record<OfferTextKey, z.ZodOptional<ReturnType<typeof checked>>>;

const acknowledgementsShape = Object.fromEntries(
  INCIDENT_TYPES.map((type) => [type, checked(PROBLEM_PLACEHOLDERS).optional()]),
) as Record<IncidentType, z.ZodOptional<ReturnType<typeof checked>>>;

export const messageOverridesSchema = z.object({
  templates: z
    .object(
      Object.fromEntries(TEMPLATE_KEYS.map((key) => [key, templateSchema.optional()])) as Record<
        string,
        z.ZodOptional<typeof templateSchema>
      >,
    )
    .prefault({}),
  problems: z.object(problemsShape).prefault({}),
  offers: z.object(offersShape).prefault({}),
  acknowledgement: z
    .object({
      subject: checked(SUBJECT_PLACEHOLDERS),
      // Without {{problem}} the acknowledgement would not say what it is about.
      body: checked(ACKNOWLEDGEMENT_PLACEHOLDERS, ["problem"]),
    })
    .optional(),
  acknowledgements: z.object(acknowledgementsShape).prefault({}),
});
export type MessageOverrides = z.output<typeof messageOverridesSchema>;

export const NO_MESSAGE_OVERRIDES: MessageOverrides = messageOverridesSchema.parse({});

/** Every text as the shop sees it: its own wording where it has one, the default elsewhere. */
export function effectiveMessages(overrides: MessageOverrides): LocaleMessages {
  const base = DEFAULT_MESSAGES.en;
  const templates = { ...base.templates };
  for (const [key, template] of Object.entries(overrides.templates)) if (template) templates[key] = template;
  const problems = { ...base.problems };
  for (const type of INCIDENT_TYPES) problems[type] = overrides.problems[type] ?? base.problems[type];
  const offers = { ...base.offers };
  for (const key of OFFER_TEXT_KEYS) offers[key] = overrides.offers[key] ?? base.offers[key];
  const acknowledgements = { ...base.acknowledgements };
  for (const type of INCIDENT_TYPES)
    acknowledgements[type] = overrides.acknowledgements[type] ?? base.acknowledgements[type];
  const acknowledgement = overrides.acknowledgement ?? base.acknowledgement;
  return { ...base, templates, problems, offers, acknowledgements, acknowledgement };
}

/** The catalog to render the shop's messages with. */
export function catalogWithOverrides(
  overrides: MessageOverrides,
  catalog: MessageCatalog = DEFAULT_MESSAGES,
): MessageCatalog {
  return { ...catalog, en: effectiveMessages(overrides) };
}

/** Only what differs from the defaults, so an untouched text follows future default wording. */
export function onlyChangedTexts(edited: MessageOverrides): MessageOverrides {
  const base = DEFAULT_MESSAGES.en;
  const out: MessageOverrides = { templates: {}, problems: {}, offers: {}, acknowledgements: {} };
  for (const [key, template] of Object.entries(edited.templates)) {
    const standard = base.templates[key];
    if (template && (!standard || standard.subject !== template.subject || standard.body !== template.body))
      out.templates[key] = template;
  }
  for (const type of INCIDENT_TYPES) {
    const text = edited.problems[type];
    if (text !== undefined && text !== base.problems[type]) out.problems[type] = text;
  }
  for (const key of OFFER_TEXT_KEYS) {
    const text = edited.offers[key];
    if (text !== undefined && text !== base.offers[key]) out.offers[key] = text;
  }
  for (const type of INCIDENT_TYPES) {
    const text = edited.acknowledgements[type];
    if (text !== undefined && text !== base.acknowledgements[type]) out.acknowledgements[type] = text;
  }
  const ack = edited.acknowledgement;
  if (ack && (ack.subject !== base.acknowledgement.subject || ack.body !== base.acknowledgement.body))
    out.acknowledgement = ack;
  return out;
}
