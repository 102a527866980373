/** The live message preview of the settings page: the apology as a customer would get it, from what is typed now. */
import { renderMessage, templateErrors, type GridCell, type IncidentType } from "../recovery";
import {
  catalogWithOverrides,
  OFFER_PLACEHOLDERS,
  PROBLEM_PLACEHOLDERS,
  SUBJECT_PLACEHOLDERS,
  TEMPLATE_PLACEHOLDERS,
  type MessageOverrides,
  type OfferTextKey,
} from "../recovery/messages/overrides";
import type { SettingsValues } from "./values";

/** A sample offer of each kind, for the message preview. */
function sampleCell(kind: OfferTextKey): GridCell {
  const base = { approval: "AUTO" as const, messageTemplateKey: "standard" };
  switch (kind) {
    case "DISCOUNT_PERCENT":
      return { ...base, kind, value: 15, expiryDays: 60 };
    case "DISCOUNT_FIXED":
      return { ...base, kind, value: 1_000, expiryDays: 60 };
    case "STORE_CREDIT":
      return { ...base, kind, value: 1_500, expiryDays: 90 };
    case "GIFT_CARD":
      return { ...base, kind, value: 2_000, expiryDays: 365 };
    case "GIFT_CARD_NO_EXPIRY":
      return { ...base, kind: "GIFT_CARD", value: 2_000, expiryDays: null };
    case "GIFT_PRODUCT":
      return { ...base, kind, value: { variantId: "gid://shopify/ProductVariant/1", quantity: 1 }, expiryDays: null };
    case "NONE":
      return { ...base, kind, value: null, expiryDays: null };
    case "REPLACEMENT":
      return { ...base, kind, value: { shippingTitle: "Express", shippingCostMinor: 1_500 }, expiryDays: null };
  }
}

const SAMPLE_CODE: Partial<Record<OfferTextKey, string>> = {
  DISCOUNT_PERCENT: "SORRY-7KQ2",
  DISCOUNT_FIXED: "SORRY-7KQ2",
  GIFT_CARD: "GC-4F7Q-9K2M",
  GIFT_CARD_NO_EXPIRY: "GC-4F7Q-9K2M",
};

type Preview = { ok: true; subject: string; body: string } | { ok: false; problem: string };

/** The apology as a customer would get it, from what is typed now; the same pure function the sender uses. */
export function previewMessage(
  messages: SettingsValues["messages"],
  sample: { templateKey: string; incidentType: IncidentType; offerKey: OfferTextKey },
  shop: { currency: string; timeZone: string },
  now: Date,
): Preview {
  const template = (Object.hasOwn(messages.templates, sample.templateKey)
    ? messages.templates[sample.templateKey]
    : undefined) ?? {
    subject: "",
    body: "",
  };
  const problem = messages.problems[sample.incidentType] ?? "";
  const offer = messages.offers[sample.offerKey] ?? "";
  const problems = [
    ...templateErrors(template.subject, SUBJECT_PLACEHOLDERS),
    ...templateErrors(template.body, TEMPLATE_PLACEHOLDERS),
    ...templateErrors(problem, PROBLEM_PLACEHOLDERS),
    ...templateErrors(offer, OFFER_PLACEHOLDERS[sample.offerKey]),
  ];
  if (problems[0]) return { ok: false, problem: problems[0] };
  const overrides: MessageOverrides = {
    templates: { [sample.templateKey]: template },
    problems: { [sample.incidentType]: problem },
    offers: { [sample.offerKey]: offer },
    acknowledgements: {},
  };
  const cell = sampleCell(sample.offerKey);
  const expiresAt = cell.expiryDays === null ? null : new Date(now.getTime() + cell.expiryDays * 86_400_000);
  const rendered = renderMessage(
    {
      locale: "en",
      templateKey: sample.templateKey,
      incidentType: sample.incidentType,
      firstName: "Ana",
      orderName: "#1042",
      offer: { cell, code: SAMPLE_CODE[sample.offerKey] ?? null, expiresAt },
      shop,
    },
    catalogWithOverrides(overrides),
  );
  return { ok: true, subject: rendered.subject, body: rendered.body };
}
